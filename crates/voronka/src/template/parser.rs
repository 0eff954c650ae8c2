//! The template parser: tokens to a small tree, with Jinja's grammar and operator precedence
//! (`or` < `and` < `not` < comparisons < `+ -` < `~` < `* / // %` < `**` < unary minus, item
//! access and filters/tests), and limits on nesting so no input overflows the stack.

use super::Error;
use super::lexer::{Pos, Tok};

/// Deepest nesting of statements, expressions and brackets while parsing (Jinja's limit).
const MAX_RECURSION: usize = 150;
/// Deepest expression tree, operator chains included (`1 + 1 + … + 1`).
const MAX_TREE_DEPTH: u32 = 256;
/// Names a template may not assign to.
const RESERVED: [&str; 8] = [
    "true", "True", "false", "False", "none", "None", "loop", "self",
];

/// A constant of the template's source.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Const {
    None,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
}

/// A binary arithmetic or comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Rem,
    Pow,
    Concat,
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    In,
}

/// An expression and where it starts.
#[derive(Debug)]
pub(super) struct Expr {
    pub kind: ExprKind,
    pub pos: Pos,
    depth: u32,
}

/// The kinds of expression.
#[derive(Debug)]
pub(super) enum ExprKind {
    Const(Const),
    Var(String),
    List(Vec<Expr>),
    Attr(Box<Expr>, String),
    Item(Box<Expr>, Box<Expr>),
    /// A call: there are no functions, so it fails when it runs.
    Call,
    /// A filter: there are no filters, so it fails when it runs.
    Filter(String),
    /// `x is name` with the number of arguments given to the test.
    Test(Box<Expr>, String, usize),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Bin(Op, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    /// A chain such as `a < b < c`: each comparison in turn (`true` negates it, for
    /// `not in`), false at the first false.
    Chain(Box<Expr>, Vec<(Op, bool, Expr)>),
    /// `a if cond else b` (`else` optional).
    IfElse(Box<Expr>, Box<Expr>, Option<Box<Expr>>),
}

/// A statement of the template.
#[derive(Debug)]
pub(super) enum Stmt {
    Text(String),
    Emit(Expr),
    /// `if`/`elif` branches in order, then the `else` body.
    If(Vec<(Expr, Vec<Stmt>)>, Vec<Stmt>),
    For(Box<ForLoop>),
    Set(String, Expr),
    /// `{% set x %}…{% endset %}`; a filter after the name fails when it runs.
    SetBlock(String, Option<(String, Pos)>, Vec<Stmt>),
}

/// `{% for var in iter if filter %}body{% else %}else_body{% endfor %}`.
#[derive(Debug)]
pub(super) struct ForLoop {
    pub var: String,
    pub iter: Expr,
    pub filter: Option<Expr>,
    pub body: Vec<Stmt>,
    pub else_body: Vec<Stmt>,
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Text(_) => "template data".into(),
        Tok::VarStart => "start of variable block".into(),
        Tok::VarEnd => "end of variable block".into(),
        Tok::BlockStart => "start of block".into(),
        Tok::BlockEnd => "end of block".into(),
        Tok::Ident(name) => format!("`{name}`"),
        Tok::Str(_) => "string".into(),
        Tok::Int(_) | Tok::Float(_) => "number".into(),
        Tok::Op(op) => format!("`{op}`"),
    }
}

struct Parser {
    toks: std::vec::IntoIter<(Tok, Pos)>,
    current: Option<(Tok, Pos)>,
    last: Pos,
    end: Pos,
    depth: usize,
}

/// Parses a template.
pub(super) fn parse(source: &str) -> Result<Vec<Stmt>, Error> {
    let (toks, end) = super::lexer::tokenize(source)?;
    let mut toks = toks.into_iter();
    let current = toks.next();
    let mut p = Parser {
        toks,
        current,
        last: Pos { line: 1, col: 1 },
        end,
        depth: 0,
    };
    p.body(&[])
}

impl Parser {
    fn next(&mut self) -> Option<(Tok, Pos)> {
        let next = self.toks.next();
        let tok = std::mem::replace(&mut self.current, next);
        if let Some((_, pos)) = &tok {
            self.last = *pos;
        }
        tok
    }

    fn is(&self, want: &Tok) -> bool {
        self.current.as_ref().is_some_and(|(t, _)| t == want)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(&self.current, Some((Tok::Op(o), _)) if *o == op)
    }

    fn is_ident(&self, name: &str) -> bool {
        matches!(&self.current, Some((Tok::Ident(i), _)) if i == name)
    }

    fn skip_op(&mut self, op: &str) -> bool {
        self.is_op(op) && self.next().is_some()
    }

    fn skip_ident(&mut self, name: &str) -> bool {
        self.is_ident(name) && self.next().is_some()
    }

    fn pos(&self) -> Pos {
        self.current.as_ref().map_or(self.end, |(_, p)| *p)
    }

    fn error(&self, message: impl AsRef<str>) -> Error {
        Error::syntax(message.as_ref(), self.pos())
    }

    /// An error if the current token is `op`: the start of a construct left out.
    fn refuse(&self, op: &str, what: &str) -> Result<(), Error> {
        if self.is_op(op) {
            return Err(self.error(format!("{what} are not supported")));
        }
        Ok(())
    }

    fn unexpected(&self, expected: &str) -> Error {
        let found = self
            .current
            .as_ref()
            .map_or("end of input".into(), |(t, _)| describe(t));
        self.error(format!("unexpected {found}, expected {expected}"))
    }

    fn expect(&mut self, want: &Tok, expected: &str) -> Result<Pos, Error> {
        if self.is(want) {
            Ok(self.next().map(|(_, p)| p).unwrap_or_default())
        } else {
            Err(self.unexpected(expected))
        }
    }

    fn expect_op(&mut self, op: &'static str) -> Result<Pos, Error> {
        self.expect(&Tok::Op(op), &format!("`{op}`"))
    }

    fn ident(&mut self, expected: &str) -> Result<String, Error> {
        match &self.current {
            Some((Tok::Ident(_), _)) => match self.next() {
                Some((Tok::Ident(name), _)) => Ok(name),
                _ => Err(self.unexpected(expected)),
            },
            _ => Err(self.unexpected(expected)),
        }
    }

    /// Runs `parse` one level deeper, unless that is too deep.
    fn nested<T>(&mut self, parse: impl FnOnce(&mut Self) -> Result<T, Error>) -> Result<T, Error> {
        self.depth += 1;
        if self.depth > MAX_RECURSION {
            return Err(self.error("template exceeds maximum recursion limits"));
        }
        let result = parse(self);
        self.depth -= 1;
        result
    }

    /// The depth of a new node over `children`, unless that is too deep.
    fn depth(&self, pos: Pos, children: &[&Expr]) -> Result<u32, Error> {
        let depth = 1 + children.iter().map(|c| c.depth).max().unwrap_or(0);
        if depth > MAX_TREE_DEPTH {
            return Err(Error::syntax("expression nested too deeply", pos));
        }
        Ok(depth)
    }

    fn node(&self, kind: ExprKind, pos: Pos, children: &[&Expr]) -> Result<Expr, Error> {
        let depth = self.depth(pos, children)?;
        Ok(Expr { kind, pos, depth })
    }

    /// Statements up to the end of input or a block starting with one of `end` (left current).
    fn body(&mut self, end: &[&str]) -> Result<Vec<Stmt>, Error> {
        let mut out = Vec::new();
        while let Some((tok, _)) = self.next() {
            match tok {
                Tok::Text(text) => out.push(Stmt::Text(text)),
                Tok::VarStart => {
                    out.push(Stmt::Emit(self.expr()?));
                    self.expect(&Tok::VarEnd, "end of variable block")?;
                }
                Tok::BlockStart => {
                    match &self.current {
                        None => return Err(self.error("unexpected end of input, expected keyword")),
                        Some((Tok::Ident(name), _)) if end.contains(&name.as_str()) => {
                            return Ok(out);
                        }
                        _ => {}
                    }
                    out.push(self.nested(Self::stmt)?);
                    self.expect(&Tok::BlockEnd, "end of block")?;
                }
                other => return Err(self.error(format!("unexpected {}", describe(&other)))),
            }
        }
        Ok(out)
    }

    fn stmt(&mut self) -> Result<Stmt, Error> {
        let name = match self.next() {
            Some((Tok::Ident(name), _)) => name,
            Some((tok, _)) => {
                return Err(self.error(format!("unknown {}, expected statement", describe(&tok))));
            }
            None => return Err(self.error("unexpected end of input, expected block keyword")),
        };
        match name.as_str() {
            "for" => self.for_loop(),
            "if" => self.if_cond(),
            "set" => self.set(),
            "with" | "autoescape" | "filter" | "do" => Err(Error::syntax(
                &format!("the `{name}` statement is not supported"),
                self.last,
            )),
            _ => Err(Error::syntax(
                &format!("unknown statement {name}"),
                self.last,
            )),
        }
    }

    fn target(&mut self) -> Result<String, Error> {
        let name = self.ident("identifier")?;
        if RESERVED.contains(&name.as_str()) {
            let msg = format!("cannot assign to reserved variable name {name}");
            return Err(Error::syntax(&msg, self.last));
        }
        if self.is_op(",") || self.is_op(".") {
            return Err(self.error("only a single name can be assigned"));
        }
        Ok(name)
    }

    fn for_loop(&mut self) -> Result<Stmt, Error> {
        let var = self.target()?;
        self.expect(&Tok::Ident("in".into()), "in")?;
        let iter = self.or()?;
        let filter = if self.skip_ident("if") {
            Some(self.expr()?)
        } else {
            None
        };
        if self.is_ident("recursive") {
            return Err(self.error("recursive loops are not supported"));
        }
        self.expect(&Tok::BlockEnd, "end of block")?;
        let body = self.body(&["endfor", "else"])?;
        let else_body = if self.skip_ident("else") {
            self.expect(&Tok::BlockEnd, "end of block")?;
            self.body(&["endfor"])?
        } else {
            Vec::new()
        };
        self.next();
        Ok(Stmt::For(Box::new(ForLoop {
            var,
            iter,
            filter,
            body,
            else_body,
        })))
    }

    fn if_cond(&mut self) -> Result<Stmt, Error> {
        let mut branches = Vec::new();
        loop {
            let cond = self.or()?;
            self.expect(&Tok::BlockEnd, "end of block")?;
            let body = self.body(&["endif", "else", "elif"])?;
            branches.push((cond, body));
            match self.next() {
                Some((Tok::Ident(kw), _)) if kw == "elif" => continue,
                Some((Tok::Ident(kw), _)) if kw == "else" => {
                    self.expect(&Tok::BlockEnd, "end of block")?;
                    let otherwise = self.body(&["endif"])?;
                    self.next();
                    return Ok(Stmt::If(branches, otherwise));
                }
                _ => return Ok(Stmt::If(branches, Vec::new())),
            }
        }
    }

    fn set(&mut self) -> Result<Stmt, Error> {
        let name = self.target()?;
        if self.is(&Tok::BlockEnd) || self.is_op("|") {
            let filter = if self.skip_op("|") {
                let pos = self.pos();
                let (first, _) = self.filter_chain()?;
                Some((first, pos))
            } else {
                None
            };
            self.expect(&Tok::BlockEnd, "end of block")?;
            let body = self.body(&["endset"])?;
            self.next();
            return Ok(Stmt::SetBlock(name, filter, body));
        }
        self.expect(&Tok::Op("="), "assignment operator")?;
        let value = self.expr()?;
        if self.is_op(",") {
            return Err(self.error("tuples are not supported"));
        }
        Ok(Stmt::Set(name, value))
    }

    /// `name(args) | name(args) …` up to the end of the block: the first name.
    fn filter_chain(&mut self) -> Result<(String, usize), Error> {
        let mut first = None;
        while !self.is(&Tok::BlockEnd) {
            if first.is_some() {
                self.expect_op("|")?;
            }
            let name = self.test_name()?;
            let args = if self.is_op("(") { self.args()? } else { 0 };
            first.get_or_insert((name, args));
        }
        first.ok_or_else(|| self.error("expected a filter"))
    }

    fn expr(&mut self) -> Result<Expr, Error> {
        self.nested(Self::if_expr)
    }

    fn if_expr(&mut self) -> Result<Expr, Error> {
        let mut e = self.or()?;
        while self.is_ident("if") {
            let pos = self.pos();
            self.next();
            let cond = self.or()?;
            let other = if self.skip_ident("else") {
                Some(self.if_expr()?)
            } else {
                None
            };
            let children: Vec<&Expr> = [Some(&e), Some(&cond), other.as_ref()]
                .into_iter()
                .flatten()
                .collect();
            let depth = self.depth(pos, &children)?;
            e = Expr {
                kind: ExprKind::IfElse(Box::new(cond), Box::new(e), other.map(Box::new)),
                pos,
                depth,
            };
        }
        Ok(e)
    }

    fn or(&mut self) -> Result<Expr, Error> {
        self.logical("or", Self::and, ExprKind::Or)
    }

    fn and(&mut self) -> Result<Expr, Error> {
        self.logical("and", Self::not, ExprKind::And)
    }

    /// A left-to-right chain of `and` or `or` over what `next` parses.
    fn logical(
        &mut self,
        keyword: &str,
        next: fn(&mut Self) -> Result<Expr, Error>,
        make: fn(Box<Expr>, Box<Expr>) -> ExprKind,
    ) -> Result<Expr, Error> {
        let mut e = next(self)?;
        while self.is_ident(keyword) {
            let pos = self.pos();
            self.next();
            let r = next(self)?;
            let depth = self.depth(pos, &[&e, &r])?;
            e = Expr {
                kind: make(Box::new(e), Box::new(r)),
                pos,
                depth,
            };
        }
        Ok(e)
    }

    fn not(&mut self) -> Result<Expr, Error> {
        if !self.is_ident("not") {
            return self.compare();
        }
        let pos = self.pos();
        self.next();
        let inner = self.nested(Self::not)?;
        self.wrap(pos, inner, ExprKind::Not)
    }

    /// A node over one operand.
    fn wrap(&self, pos: Pos, inner: Expr, make: fn(Box<Expr>) -> ExprKind) -> Result<Expr, Error> {
        let depth = self.depth(pos, &[&inner])?;
        Ok(Expr {
            kind: make(Box::new(inner)),
            pos,
            depth,
        })
    }

    fn compare(&mut self) -> Result<Expr, Error> {
        let pos = self.pos();
        let first = self.math1()?;
        let mut ops = Vec::new();
        loop {
            let op = match &self.current {
                Some((Tok::Op("==" | "!=" | "<" | "<=" | ">" | ">="), _)) => match self.next() {
                    Some((Tok::Op("=="), _)) => (Op::Eq, false),
                    Some((Tok::Op("!="), _)) => (Op::Ne, false),
                    Some((Tok::Op("<"), _)) => (Op::Lt, false),
                    Some((Tok::Op("<="), _)) => (Op::Lte, false),
                    Some((Tok::Op(">"), _)) => (Op::Gt, false),
                    _ => (Op::Gte, false),
                },
                Some((Tok::Ident(kw), _)) if kw == "in" => {
                    self.next();
                    (Op::In, false)
                }
                Some((Tok::Ident(kw), _)) if kw == "not" => {
                    self.next();
                    self.expect(&Tok::Ident("in".into()), "in")?;
                    (Op::In, true)
                }
                _ => break,
            };
            ops.push((op, self.math1()?));
        }
        if ops.is_empty() {
            return Ok(first);
        }
        if ops.len() == 1 {
            let ((op, negated), right) = ops.remove(0);
            let depth = self.depth(pos, &[&first, &right])?;
            let e = Expr {
                kind: ExprKind::Bin(op, Box::new(first), Box::new(right)),
                pos,
                depth,
            };
            if !negated {
                return Ok(e);
            }
            return self.wrap(pos, e, ExprKind::Not);
        }
        let mut children: Vec<&Expr> = ops.iter().map(|(_, e)| e).collect();
        children.push(&first);
        let depth = self.depth(pos, &children)?;
        let chain = ops
            .into_iter()
            .map(|((op, negated), e)| (op, negated, e))
            .collect();
        Ok(Expr {
            kind: ExprKind::Chain(Box::new(first), chain),
            pos,
            depth,
        })
    }

    fn binary(
        &mut self,
        next: fn(&mut Self) -> Result<Expr, Error>,
        ops: &[(&str, Op)],
    ) -> Result<Expr, Error> {
        let mut e = next(self)?;
        loop {
            let op = match &self.current {
                Some((Tok::Op(o), _)) => ops.iter().find(|(s, _)| s == o).map(|(_, op)| *op),
                _ => None,
            };
            let Some(op) = op else { break };
            let pos = self.pos();
            self.next();
            let r = next(self)?;
            let depth = self.depth(pos, &[&e, &r])?;
            e = Expr {
                kind: ExprKind::Bin(op, Box::new(e), Box::new(r)),
                pos,
                depth,
            };
        }
        Ok(e)
    }

    fn math1(&mut self) -> Result<Expr, Error> {
        self.binary(Self::concat, &[("+", Op::Add), ("-", Op::Sub)])
    }

    fn concat(&mut self) -> Result<Expr, Error> {
        self.binary(Self::math2, &[("~", Op::Concat)])
    }

    fn math2(&mut self) -> Result<Expr, Error> {
        self.binary(
            Self::pow,
            &[
                ("*", Op::Mul),
                ("/", Op::Div),
                ("//", Op::FloorDiv),
                ("%", Op::Rem),
            ],
        )
    }

    fn pow(&mut self) -> Result<Expr, Error> {
        self.binary(Self::unary, &[("**", Op::Pow)])
    }

    fn unary(&mut self) -> Result<Expr, Error> {
        let e = self.unary_only()?;
        let e = self.postfix(e)?;
        self.filters(e)
    }

    fn unary_only(&mut self) -> Result<Expr, Error> {
        if !self.is_op("-") {
            return self.primary();
        }
        let pos = self.pos();
        self.next();
        let inner = self.nested(Self::unary_only)?;
        let inner = self.postfix(inner)?;
        self.wrap(pos, inner, ExprKind::Neg)
    }

    fn postfix(&mut self, mut e: Expr) -> Result<Expr, Error> {
        loop {
            let pos = self.pos();
            if self.skip_op(".") {
                let (kind, sub) = match self.next() {
                    Some((Tok::Ident(name), _)) => (Some(name), None),
                    Some((Tok::Int(i), p)) => (
                        None,
                        Some(self.node(ExprKind::Const(Const::Int(i)), p, &[])?),
                    ),
                    Some((tok, p)) => {
                        let msg = format!(
                            "unexpected {}, expected identifier or integer",
                            describe(&tok)
                        );
                        return Err(Error::syntax(&msg, p));
                    }
                    None => {
                        return Err(
                            self.error("unexpected end of input, expected identifier or integer")
                        );
                    }
                };
                let depth = self.depth(pos, &[&e])?;
                e = match (kind, sub) {
                    (Some(name), _) => Expr {
                        kind: ExprKind::Attr(Box::new(e), name),
                        pos,
                        depth,
                    },
                    (None, Some(sub)) => Expr {
                        kind: ExprKind::Item(Box::new(e), Box::new(sub)),
                        pos,
                        depth,
                    },
                    _ => return Err(self.error("unexpected input")),
                };
            } else if self.skip_op("[") {
                self.refuse(":", "slices")?;
                let sub = self.expr()?;
                self.refuse(":", "slices")?;
                self.expect_op("]")?;
                let depth = self.depth(pos, &[&e, &sub])?;
                e = Expr {
                    kind: ExprKind::Item(Box::new(e), Box::new(sub)),
                    pos,
                    depth,
                };
            } else if self.is_op("(") {
                self.args()?;
                let node = self.node(ExprKind::Call, pos, &[&e])?;
                e = node;
            } else {
                return Ok(e);
            }
        }
    }

    fn test_name(&mut self) -> Result<String, Error> {
        let mut name = self.ident("identifier")?;
        while self.skip_op(".") {
            name.push('.');
            name.push_str(&self.ident("identifier")?);
        }
        Ok(name)
    }

    fn filters(&mut self, mut e: Expr) -> Result<Expr, Error> {
        loop {
            let pos = self.pos();
            if self.skip_op("|") {
                let name = self.test_name()?;
                if self.is_op("(") {
                    self.args()?;
                }
                e = self.node(ExprKind::Filter(name), pos, &[&e])?;
            } else if self.skip_ident("is") {
                let negated = self.skip_ident("not");
                let name = self.test_name()?;
                let args = if self.is_op("(") {
                    self.args()?
                } else {
                    let starts_arg = match &self.current {
                        Some((Tok::Ident(kw), _)) => {
                            !matches!(kw.as_str(), "and" | "or" | "else" | "is")
                        }
                        Some((Tok::Str(_) | Tok::Int(_) | Tok::Float(_), _)) => true,
                        Some((Tok::Op("+" | "-" | "[" | "{"), _)) => true,
                        _ => false,
                    };
                    if starts_arg {
                        let arg = self.unary_only()?;
                        self.postfix(arg)?;
                        1
                    } else {
                        0
                    }
                };
                let depth = self.depth(pos, &[&e])?;
                e = Expr {
                    kind: ExprKind::Test(Box::new(e), name, args),
                    pos,
                    depth,
                };
                if negated {
                    e = self.wrap(pos, e, ExprKind::Not)?;
                }
            } else {
                return Ok(e);
            }
        }
    }

    /// `( args )`: positional, `name=value`, `*xs` and `**kw`; the number of arguments.
    fn args(&mut self) -> Result<usize, Error> {
        self.expect_op("(")?;
        let mut count = 0;
        let mut kwargs = false;
        loop {
            if self.skip_op(")") {
                break;
            }
            if count > 0 {
                self.expect_op(",")?;
                if self.skip_op(")") {
                    break;
                }
            }
            let splat = self.skip_op("**") || self.skip_op("*");
            let e = self.expr()?;
            if !splat && matches!(e.kind, ExprKind::Var(_)) && self.skip_op("=") {
                kwargs = true;
                self.expr()?;
            } else if kwargs && !splat {
                return Err(self.error("non-keyword arg after keyword arg"));
            }
            count += 1;
            if count > 2000 {
                return Err(self.error("too many arguments in function call"));
            }
        }
        Ok(count)
    }

    fn primary(&mut self) -> Result<Expr, Error> {
        self.nested(Self::primary_inner)
    }

    fn primary_inner(&mut self) -> Result<Expr, Error> {
        let Some((tok, pos)) = self.next() else {
            return Err(self.error("unexpected end of input, expected expression"));
        };
        let konst = |c| {
            Ok(Expr {
                kind: ExprKind::Const(c),
                pos,
                depth: 1,
            })
        };
        match tok {
            Tok::Ident(name) => match name.as_str() {
                "true" | "True" => konst(Const::Bool(true)),
                "false" | "False" => konst(Const::Bool(false)),
                "none" | "None" => konst(Const::None),
                _ => Ok(Expr {
                    kind: ExprKind::Var(name),
                    pos,
                    depth: 1,
                }),
            },
            Tok::Str(mut s) => {
                while let Some((Tok::Str(more), _)) = &self.current {
                    s.push_str(more);
                    self.next();
                }
                konst(Const::Str(s))
            }
            Tok::Int(i) => konst(Const::Int(i)),
            Tok::Float(f) => konst(Const::Float(f)),
            Tok::Op("(") => {
                self.refuse(")", "tuples")?;
                let e = self.expr()?;
                self.refuse(",", "tuples")?;
                self.expect_op(")")?;
                Ok(e)
            }
            Tok::Op("[") => {
                let mut items = Vec::new();
                loop {
                    if self.skip_op("]") {
                        break;
                    }
                    if !items.is_empty() {
                        self.expect_op(",")?;
                        if self.skip_op("]") {
                            break;
                        }
                    }
                    items.push(self.expr()?);
                }
                let depth = self.depth(pos, &items.iter().collect::<Vec<_>>())?;
                Ok(Expr {
                    kind: ExprKind::List(items),
                    pos,
                    depth,
                })
            }
            Tok::Op("{") => Err(Error::syntax("map literals are not supported", pos)),
            other => Err(Error::syntax(
                &format!("unexpected {}", describe(&other)),
                pos,
            )),
        }
    }
}
