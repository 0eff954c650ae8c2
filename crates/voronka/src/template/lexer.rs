//! The template lexer: text, `{{ … }}`, `{% … %}`, `{# … #}` and `{% raw %}`, with Jinja's
//! whitespace control (`{{-`, `-}}`, `{%-`, `-%}`; `+` keeps the whitespace), and the tokens
//! inside tags. Like Jinja's default settings, one trailing newline of the template is dropped.

use super::Error;

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// Text outside tags, printed as it is.
    Text(String),
    VarStart,
    VarEnd,
    BlockStart,
    BlockEnd,
    Ident(String),
    Str(String),
    Int(i128),
    Float(f64),
    /// An operator or punctuation: `+ - * / // % ** ~ . , : | = == != < <= > >= ( ) [ ] { }`.
    Op(&'static str),
}

/// A line and column (both from 1; the column counts characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Pos {
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Template,
    Variable,
    Block,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    Variable,
    Block,
    Comment,
}

/// Whether a marker removes the whitespace beside it (`-`), keeps it (`+`) or neither.
fn ws_remove(b: Option<u8>) -> (bool, usize) {
    match b {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    }
}

struct Lexer<'s> {
    src: &'s str,
    off: usize,
    pos: Pos,
    stack: Vec<State>,
    trim_next: bool,
    pending: Option<(Marker, usize)>,
    parens: isize,
    out: Vec<(Tok, Pos)>,
}

/// Splits a template into tokens; also where the input ends.
pub(super) fn tokenize(source: &str) -> Result<(Vec<(Tok, Pos)>, Pos), Error> {
    let mut src = source;
    if let Some(s) = src.strip_suffix('\n') {
        src = s;
    }
    if let Some(s) = src.strip_suffix('\r') {
        src = s;
    }
    let mut lx = Lexer {
        src,
        off: 0,
        pos: Pos { line: 1, col: 1 },
        stack: vec![State::Template],
        trim_next: false,
        pending: None,
        parens: 0,
        out: Vec::new(),
    };
    while lx.off < lx.src.len() {
        match lx.stack.last() {
            Some(State::Template) => lx.root()?,
            Some(State::Block) => lx.inside(State::Block)?,
            Some(State::Variable) => lx.inside(State::Variable)?,
            None => return Err(lx.error("unexpected input")),
        }
    }
    Ok((lx.out, lx.pos))
}

fn ident_len(s: &str) -> usize {
    s.bytes()
        .enumerate()
        .take_while(|&(i, c)| {
            c == b'_'
                || if i == 0 {
                    c.is_ascii_alphabetic()
                } else {
                    c.is_ascii_alphanumeric()
                }
        })
        .count()
}

/// `{% raw %}`-like tags: the length up to and including `%}` and whether `-` came before it.
fn basic_tag(s: &str, name: &str, ws_control: bool) -> Option<(usize, bool)> {
    let mut p = s;
    if ws_control {
        p = p.strip_prefix(['-', '+']).unwrap_or(p);
    }
    p = p.trim_start_matches(|c: char| c.is_ascii_whitespace());
    p = p.strip_prefix(name)?;
    p = p.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let (remove, n) = ws_remove(p.bytes().next());
    p = &p[n..];
    p.starts_with("%}").then(|| (s.len() - p.len() + 2, remove))
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.src[self.off..]
    }

    fn advance(&mut self, n: usize) {
        for c in self.src[self.off..self.off + n].chars() {
            if c == '\n' {
                self.pos.line += 1;
                self.pos.col = 1;
            } else {
                self.pos.col += 1;
            }
        }
        self.off += n;
    }

    fn error(&self, message: &str) -> Error {
        Error::syntax(message, self.pos)
    }

    fn push(&mut self, tok: Tok, pos: Pos) {
        self.out.push((tok, pos));
    }

    fn root(&mut self) -> Result<(), Error> {
        if let Some((marker, skip)) = self.pending.take() {
            return self.start_marker(marker, skip);
        }
        if std::mem::take(&mut self.trim_next) {
            let n = self.rest().len() - self.rest().trim_start().len();
            self.advance(n);
        }
        let start = self.pos;
        let bytes = self.rest().as_bytes();
        let mut found = None;
        let mut i = 0;
        while let Some(j) = bytes[i..].iter().position(|&b| b == b'{') {
            let at = i + j;
            let marker = match bytes.get(at + 1) {
                Some(b'{') => Marker::Variable,
                Some(b'%') => Marker::Block,
                Some(b'#') => Marker::Comment,
                _ => {
                    i = at + 1;
                    continue;
                }
            };
            let (remove, n) = ws_remove(bytes.get(at + 2).copied());
            found = Some((at, marker, 2 + n, remove));
            break;
        }
        let lead = match found {
            Some((at, marker, skip, remove)) => {
                self.pending = Some((marker, skip));
                let text = &self.rest()[..at];
                let text = if remove { text.trim_end() } else { text }.to_string();
                self.advance(at);
                text
            }
            None => {
                let text = self.rest().to_string();
                self.advance(text.len());
                text
            }
        };
        if !lead.is_empty() {
            self.push(Tok::Text(lead), start);
        }
        Ok(())
    }

    fn start_marker(&mut self, marker: Marker, skip: usize) -> Result<(), Error> {
        let start = self.pos;
        match marker {
            Marker::Comment => match self.rest()[skip..].find("#}") {
                Some(end) => {
                    let before = self.rest().as_bytes().get(end.saturating_sub(1) + skip);
                    let remove = before == Some(&b'-');
                    self.advance(skip + end + 2);
                    self.trim_next = remove;
                    Ok(())
                }
                None => {
                    self.advance(self.rest().len());
                    Err(self.error("unexpected end of comment"))
                }
            },
            Marker::Variable => {
                self.advance(skip);
                self.stack.push(State::Variable);
                self.push(Tok::VarStart, start);
                Ok(())
            }
            Marker::Block => {
                if let Some((n, remove)) = basic_tag(&self.rest()[skip..], "raw", false) {
                    self.advance(skip + n);
                    self.raw(remove)
                } else {
                    self.advance(skip);
                    self.stack.push(State::Block);
                    self.push(Tok::BlockStart, start);
                    Ok(())
                }
            }
        }
    }

    fn raw(&mut self, trim_start: bool) -> Result<(), Error> {
        let mut ptr = 0;
        while let Some(j) = self.rest()[ptr..].find("{%") {
            ptr += j + 2;
            if let Some((n, remove_after)) = basic_tag(&self.rest()[ptr..], "endraw", true) {
                let trim_end = self.rest().as_bytes().get(ptr) == Some(&b'-');
                let full = &self.rest()[..ptr - 2];
                let mut text = full;
                if trim_start {
                    text = text.trim_start();
                }
                if trim_end {
                    text = text.trim_end();
                }
                let leading = full.len() - full.trim_start().len();
                let lead = if trim_start { leading } else { 0 };
                let text = text.to_string();
                self.advance(lead);
                let at = self.pos;
                self.advance(ptr + n - lead);
                self.push(Tok::Text(text), at);
                self.trim_next = remove_after;
                return Ok(());
            }
        }
        self.advance(self.rest().len());
        Err(self.error("unexpected end of raw block"))
    }

    fn inside(&mut self, state: State) -> Result<(), Error> {
        let ws = self
            .rest()
            .bytes()
            .take_while(u8::is_ascii_whitespace)
            .count();
        if ws > 0 {
            self.advance(ws);
            return Ok(());
        }
        let start = self.pos;
        let rest = self.rest();
        if self.parens == 0 {
            let end = if state == State::Block { "%}" } else { "}}" };
            let (remove, n) = ws_remove(rest.bytes().next());
            if rest[n..].starts_with(end) {
                self.stack.pop();
                self.advance(n + 2);
                self.trim_next = remove;
                let tok = if state == State::Block {
                    Tok::BlockEnd
                } else {
                    Tok::VarEnd
                };
                self.push(tok, start);
                return Ok(());
            }
        }
        const TWO: [&str; 6] = ["//", "**", "==", "!=", ">=", "<="];
        if let Some(op) = TWO.iter().find(|op| rest.starts_with(**op)) {
            self.advance(2);
            self.push(Tok::Op(op), start);
            return Ok(());
        }
        const ONE: [&str; 19] = [
            "+", "-", "*", "/", "%", ".", ",", ":", "~", "|", "=", ">", "<", "(", ")", "[", "]",
            "{", "}",
        ];
        if let Some(op) = ONE.iter().find(|op| rest.starts_with(**op)) {
            match *op {
                "(" | "[" | "{" => self.parens += 1,
                ")" | "]" | "}" => self.parens -= 1,
                _ => {}
            }
            self.advance(1);
            self.push(Tok::Op(op), start);
            return Ok(());
        }
        let tok = match rest.as_bytes()[0] {
            q @ (b'\'' | b'"') => self.string(q)?,
            b'0'..=b'9' => self.number()?,
            _ => {
                let n = ident_len(rest);
                if n == 0 {
                    return Err(self.error("unexpected character"));
                }
                let name = rest[..n].to_string();
                self.advance(n);
                Tok::Ident(name)
            }
        };
        self.push(tok, start);
        Ok(())
    }

    fn string(&mut self, quote: u8) -> Result<Tok, Error> {
        let bytes = &self.rest().as_bytes()[1..];
        let mut escaped = false;
        let mut has_escapes = false;
        let mut len = 0;
        for &c in bytes {
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
                has_escapes = true;
            } else if c == quote {
                break;
            }
            len += 1;
        }
        if escaped || bytes.get(len) != Some(&quote) {
            self.advance(len + 1);
            return Err(self.error("unexpected end of string"));
        }
        let body = self.rest()[1..1 + len].to_string();
        let at = self.pos;
        self.advance(len + 2);
        if has_escapes {
            unescape(&body)
                .map(Tok::Str)
                .ok_or_else(|| Error::syntax("bad string escape", at))
        } else {
            Ok(Tok::Str(body))
        }
    }

    fn number(&mut self) -> Result<Tok, Error> {
        #[derive(Clone, Copy, PartialEq)]
        enum S {
            Radix,
            Int,
            Fraction,
            Exponent,
            ExponentSign,
        }
        // A number right after a dot is an item index (`xs.1.0` is `xs[1][0]`).
        let after_dot = self.src.as_bytes()[..self.off].last() == Some(&b'.');
        let radix = match self.rest().as_bytes().get(..2) {
            Some(b"0b" | b"0B") => 2,
            Some(b"0o" | b"0O") => 8,
            Some(b"0x" | b"0X") => 16,
            _ => 10,
        };
        let mut state = if radix == 10 {
            S::Int
        } else {
            self.advance(2);
            S::Radix
        };
        let bytes = self.rest().as_bytes();
        let mut len = bytes.iter().take_while(|c| c.is_ascii_digit()).count();
        let mut underscore = false;
        for &c in &bytes[len..] {
            state = match (c, state) {
                (b'.', S::Int) if after_dot => break,
                (b'.', S::Int) => {
                    let is_exp = matches!(bytes.get(len + 1), Some(b'e' | b'E'))
                        && matches!(bytes.get(len + 2), Some(b'+' | b'-' | b'0'..=b'9'));
                    if !is_exp && ident_len(&self.rest()[len + 1..]) > 0 {
                        break;
                    }
                    S::Fraction
                }
                (b'E' | b'e', S::Int | S::Fraction) => S::Exponent,
                (b'+' | b'-', S::Exponent) => S::ExponentSign,
                (b'0'..=b'9', S::Exponent) => S::ExponentSign,
                (b'0'..=b'9', s) => s,
                (b'a'..=b'f' | b'A'..=b'F', S::Radix) if radix == 16 => state,
                (b'_', s) => {
                    underscore = true;
                    s
                }
                _ => break,
            };
            len += 1;
        }
        let mut num = self.rest()[..len].to_string();
        self.advance(len);
        if underscore {
            if num.ends_with('_') {
                return Err(self.error("'_' may not occur at end of number"));
            }
            num = num.replace('_', "");
        }
        if !matches!(state, S::Int | S::Radix) {
            num.parse()
                .map(Tok::Float)
                .map_err(|_| self.error("invalid float"))
        } else {
            u128::from_str_radix(&num, radix)
                .ok()
                .and_then(|n| i128::try_from(n).ok())
                .map(Tok::Int)
                .ok_or_else(|| self.error("invalid integer (too large)"))
        }
    }
}

/// Jinja's string escapes: `\n \t \r \b \f \" \' \\ \/`, `\xHH`, `\uHHHH` (with surrogate
/// pairs) and octal `\NNN`; any other `\c` stays as it is. `None` on a malformed escape.
fn unescape(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut surrogate: u16 = 0;
    let mut chars = s.chars();
    let push = |out: &mut String, surrogate: u16, c: char| (surrogate == 0).then(|| out.push(c));
    while let Some(c) = chars.next() {
        if c != '\\' {
            push(&mut out, surrogate, c)?;
            continue;
        }
        let d = chars.next()?;
        match d {
            '"' | '\\' | '/' | '\'' => push(&mut out, surrogate, d)?,
            'b' => push(&mut out, surrogate, '\x08')?,
            'f' => push(&mut out, surrogate, '\x0c')?,
            'n' => push(&mut out, surrogate, '\n')?,
            'r' => push(&mut out, surrogate, '\r')?,
            't' => push(&mut out, surrogate, '\t')?,
            'u' => {
                let hex: String = chars
                    .by_ref()
                    .chain(std::iter::repeat('\0'))
                    .take(4)
                    .collect();
                let v = u16::from_str_radix(&hex, 16).ok()?;
                let is_surrogate = (0xD800..=0xDFFF).contains(&v);
                match (surrogate, is_surrogate) {
                    (0, false) => out.push(char::decode_utf16([v]).next()?.ok()?),
                    (_, false) => return None,
                    (0, true) => surrogate = v,
                    (prev, true) => {
                        out.push(char::decode_utf16([prev, v]).next()?.ok()?);
                        surrogate = 0;
                    }
                }
            }
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                if hex.len() != 2 {
                    return None;
                }
                push(
                    &mut out,
                    surrogate,
                    u8::from_str_radix(&hex, 16).ok()? as char,
                )?;
            }
            '0'..='7' => {
                let mut oct = String::from(d);
                for _ in 0..2 {
                    match chars.as_str().chars().next() {
                        Some(c @ '0'..='7') => {
                            oct.push(c);
                            chars.next();
                        }
                        _ => break,
                    }
                }
                push(
                    &mut out,
                    surrogate,
                    u8::from_str_radix(&oct, 8).ok()? as char,
                )?;
            }
            _ => {
                push(&mut out, surrogate, '\\')?;
                push(&mut out, surrogate, d)?;
            }
        }
    }
    (surrogate == 0).then_some(out)
}
