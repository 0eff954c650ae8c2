//! A single-pass walk over the structure of JSON text (brackets, commas, strings), for two cold
//! or cheap questions that need no parsing: how deep the text nests ([`crate::limits`]) and
//! which JSON path a byte position of a decoding error lies in ([`crate::error::decode_json`]).
//! It allocates only its stack; malformed text is left for the parser to report.

/// One open array or object.
pub(crate) enum Frame {
    /// An object; `key` is the byte range of its current key's string, quotes included.
    Object {
        /// The current member's key.
        key: Option<(usize, usize)>,
        /// Whether the next string is a key.
        want_key: bool,
    },
    /// An array; `index` is its current element.
    Array {
        /// The current element.
        index: usize,
    },
}

/// The walk: the open containers, and what the last token was.
pub(crate) struct Scan<'a> {
    text: &'a str,
    /// The open containers, outermost first.
    pub(crate) stack: Vec<Frame>,
    /// Where the walk is (a byte index into the text).
    pub(crate) at: usize,
    /// The container the last token closed, if it did.
    pub(crate) closed: Option<Frame>,
    /// Whether the last token was an object's key.
    pub(crate) after_key: bool,
    /// The last token if it was a bracket or a comma (whitespace may follow): its byte and
    /// where it is.
    pub(crate) last: Option<(u8, usize)>,
}

impl<'a> Scan<'a> {
    /// A walk from the start of `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        Scan {
            text,
            stack: Vec::new(),
            at: 0,
            closed: None,
            after_key: false,
            last: None,
        }
    }

    /// Walks over the next structural token (a bracket, a comma or a whole string) that starts
    /// before `end`; its first byte, or `None` at `end`.
    pub(crate) fn next(&mut self, end: usize) -> Option<u8> {
        let bytes = self.text.as_bytes();
        let end = end.min(bytes.len());
        while self.at < end {
            let c = bytes[self.at];
            self.at += 1;
            if !matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.last =
                    matches!(c, b'{' | b'[' | b'}' | b']' | b',').then_some((c, self.at - 1));
            }
            match c {
                b'"' => {
                    let start = self.at - 1;
                    let mut escaped = false;
                    while self.at < bytes.len() {
                        let c = bytes[self.at];
                        self.at += 1;
                        match (escaped, c) {
                            (false, b'\\') => escaped = true,
                            (false, b'"') => break,
                            _ => escaped = false,
                        }
                    }
                    self.closed = None;
                    self.after_key = false;
                    if let Some(Frame::Object { key, want_key }) = self.stack.last_mut()
                        && *want_key
                    {
                        *key = Some((start, self.at));
                        *want_key = false;
                        self.after_key = true;
                    }
                }
                b'{' | b'[' => {
                    self.stack.push(if c == b'{' {
                        Frame::Object {
                            key: None,
                            want_key: true,
                        }
                    } else {
                        Frame::Array { index: 0 }
                    });
                    (self.closed, self.after_key) = (None, false);
                }
                b'}' | b']' => {
                    self.closed = self.stack.pop();
                    self.after_key = false;
                }
                b',' => {
                    match self.stack.last_mut() {
                        Some(Frame::Object { want_key, .. }) => *want_key = true,
                        Some(Frame::Array { index }) => *index += 1,
                        None => {}
                    }
                    (self.closed, self.after_key) = (None, false);
                }
                b' ' | b'\t' | b'\n' | b'\r' => continue,
                _ => {
                    (self.closed, self.after_key) = (None, false);
                    continue;
                }
            }
            return Some(c);
        }
        None
    }

    /// The JSON path (`a.b[2].c`) of the member `frames` lead to: each object's current key
    /// (decoded) and each array's current index.
    pub(crate) fn path(&self, frames: &[Frame]) -> String {
        let mut path = String::new();
        for frame in frames {
            self.push_segment(&mut path, frame);
        }
        path
    }

    /// Appends `frame`'s current member to `path`.
    pub(crate) fn push_segment(&self, path: &mut String, frame: &Frame) {
        match frame {
            Frame::Object {
                key: Some((start, end)),
                ..
            } => {
                if !path.is_empty() {
                    path.push('.');
                }
                let raw = &self.text[*start..*end];
                match serde_json::from_str::<String>(raw) {
                    Ok(key) => path.push_str(&key),
                    Err(_) => path.push_str(raw.trim_matches('"')),
                }
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
}
