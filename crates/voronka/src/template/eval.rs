//! The evaluator: runs a parsed template over a JSON context with Jinja's values and rules
//! (Python-like printing, integer and float arithmetic, lenient undefined values), counting
//! fuel so no template runs without end.

use std::cmp::Ordering;
use std::fmt::{self, Write as _};
use std::rc::Rc;

use serde_json::{Map, Value as Json};

use super::Error;
use super::lexer::Pos;
use super::parser::{Const, Expr, ExprKind, ForLoop, Op, Stmt};

/// A value while rendering: borrowed from the context where it can be.
#[derive(Debug, Clone)]
enum V<'a> {
    Undef,
    None,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(&'a str),
    String(Rc<str>),
    JList(&'a [Json]),
    List(Rc<Vec<V<'a>>>),
    Map(&'a Map<String, Json>),
    Loop(Rc<LoopState>),
}

/// The `loop` variable of a `for` loop.
#[derive(Debug)]
struct LoopState {
    index0: usize,
    /// Unknown while iterating over a string, as in minijinja.
    len: Option<usize>,
}

fn from_json(v: &Json) -> V<'_> {
    match v {
        Json::Null => V::None,
        Json::Bool(b) => V::Bool(*b),
        Json::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => V::Int(i.into()),
            (_, Some(u)) => V::Int(u.into()),
            _ => V::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => V::Str(s),
        Json::Array(items) => V::JList(items),
        Json::Object(map) => V::Map(map),
    }
}

impl<'a> V<'a> {
    fn string(s: String) -> Self {
        V::String(s.into())
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            V::Str(s) => Some(s),
            V::String(s) => Some(s),
            _ => None,
        }
    }

    /// The position of the value's kind in minijinja's ordering of kinds.
    fn kind(&self) -> u8 {
        match self {
            V::Undef => 0,
            V::None => 1,
            V::Bool(_) => 2,
            V::Int(_) | V::Float(_) => 3,
            V::Str(_) | V::String(_) => 4,
            V::JList(_) | V::List(_) => 6,
            V::Map(_) => 7,
            V::Loop(_) => 9,
        }
    }

    fn kind_name(&self) -> &'static str {
        match self {
            V::Undef => "undefined",
            V::None => "none",
            V::Bool(_) => "bool",
            V::Int(_) | V::Float(_) => "number",
            V::Str(_) | V::String(_) => "string",
            V::JList(_) | V::List(_) => "sequence",
            V::Map(_) => "map",
            V::Loop(_) => "plain object",
        }
    }

    fn seq_len(&self) -> Option<usize> {
        match self {
            V::JList(items) => Some(items.len()),
            V::List(items) => Some(items.len()),
            _ => None,
        }
    }

    fn seq_items(&self) -> Vec<V<'a>> {
        match self {
            V::JList(items) => items.iter().map(from_json).collect(),
            V::List(items) => items.as_ref().clone(),
            _ => Vec::new(),
        }
    }

    fn truthy(&self) -> bool {
        match self {
            V::Undef | V::None => false,
            V::Bool(b) => *b,
            V::Int(i) => *i != 0,
            V::Float(f) => *f != 0.0,
            V::Str(_) | V::String(_) => self.as_str().is_some_and(|s| !s.is_empty()),
            V::JList(_) | V::List(_) => self.seq_len() != Some(0),
            V::Map(m) => !m.is_empty(),
            V::Loop(_) => true,
        }
    }

    /// An integer operand: integers and booleans.
    fn int(&self) -> Option<i128> {
        match self {
            V::Int(i) => Some(*i),
            V::Bool(b) => Some(i128::from(*b)),
            _ => None,
        }
    }

    /// A float operand: any number or boolean.
    fn float(&self) -> Option<f64> {
        match self {
            V::Float(f) => Some(*f),
            other => other.int().map(|i| i as f64),
        }
    }

    /// A count to repeat a string or list by: integers, booleans and whole floats.
    fn count(&self) -> Option<usize> {
        let n = match self {
            V::Float(f) if (*f as i64) as f64 == *f => i128::from(*f as i64),
            other => other.int()?,
        };
        Some(usize::try_from(n.max(0)).unwrap_or(usize::MAX))
    }
}

/// Two operands brought to one type, as minijinja's `coerce` does.
enum Coerced<'x> {
    Int(i128, i128),
    Float(f64, f64),
    Str(&'x str, &'x str),
}

/// `lossy`: whether an integer may become a float it does not equal exactly.
fn coerce<'x>(a: &'x V, b: &'x V, lossy: bool) -> Option<Coerced<'x>> {
    let exact = |f: f64, v: &V| match v.int() {
        Some(i) if lossy || f as i128 == i => Some(f),
        _ => None,
    };
    match (a, b) {
        (V::Float(x), V::Float(y)) => Some(Coerced::Float(*x, *y)),
        (V::Float(x), other) => Some(Coerced::Float(*x, exact(other.float()?, other)?)),
        (other, V::Float(y)) => Some(Coerced::Float(exact(other.float()?, other)?, *y)),
        _ => match (a.as_str(), b.as_str()) {
            (Some(x), Some(y)) => Some(Coerced::Str(x, y)),
            _ => Some(Coerced::Int(a.int()?, b.int()?)),
        },
    }
}

fn values_eq(a: &V, b: &V) -> bool {
    match (a, b) {
        (V::Undef, V::Undef) | (V::None, V::None) => true,
        (V::Loop(x), V::Loop(y)) => Rc::ptr_eq(x, y),
        (V::Map(x), V::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.get(k)
                        .is_some_and(|w| values_eq(&from_json(v), &from_json(w)))
                })
        }
        _ if a.seq_len().is_some() && b.seq_len().is_some() => {
            let (x, y) = (a.seq_items(), b.seq_items());
            x.len() == y.len() && x.iter().zip(&y).all(|(p, q)| values_eq(p, q))
        }
        _ => match coerce(a, b, false) {
            Some(Coerced::Int(x, y)) => x == y,
            Some(Coerced::Float(x, y)) => x == y,
            Some(Coerced::Str(x, y)) => x == y,
            None => false,
        },
    }
}

fn cmp_f64(a: f64, b: f64) -> Ordering {
    if a == b {
        Ordering::Equal
    } else {
        a.total_cmp(&b)
    }
}

/// A float against an integer it could not be converted to exactly.
fn cmp_f64_int(a: f64, b: i128) -> Ordering {
    match cmp_f64(a, b as f64) {
        Ordering::Equal if a.is_finite() => {
            if a >= i128::MAX as f64 {
                Ordering::Greater
            } else {
                let trunc = a.trunc();
                (trunc as i128)
                    .cmp(&b)
                    .then_with(|| a.partial_cmp(&trunc).unwrap_or(Ordering::Equal))
            }
        }
        other => other,
    }
}

fn values_cmp(a: &V, b: &V) -> Ordering {
    match (a, b) {
        (V::Bool(x), V::Int(_) | V::Float(_)) => return values_cmp(&V::Int(i128::from(*x)), b),
        (V::Int(_) | V::Float(_), V::Bool(y)) => return values_cmp(a, &V::Int(i128::from(*y))),
        _ => {}
    }
    match a.kind().cmp(&b.kind()) {
        Ordering::Equal => {}
        other => return other,
    }
    match (a, b) {
        (V::Map(x), V::Map(y)) => {
            let mut ys = y.iter();
            for (k, v) in x.iter() {
                let Some((l, w)) = ys.next() else {
                    return Ordering::Greater;
                };
                let o = k
                    .cmp(l)
                    .then_with(|| values_cmp(&from_json(v), &from_json(w)));
                if o != Ordering::Equal {
                    return o;
                }
            }
            if ys.next().is_some() {
                Ordering::Less
            } else {
                Ordering::Equal
            }
        }
        _ if a.seq_len().is_some() => {
            let (x, y) = (a.seq_items(), b.seq_items());
            for (p, q) in x.iter().zip(&y) {
                let o = values_cmp(p, q);
                if o != Ordering::Equal {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        _ => match coerce(a, b, false) {
            Some(Coerced::Int(x, y)) => x.cmp(&y),
            Some(Coerced::Float(x, y)) => cmp_f64(x, y),
            Some(Coerced::Str(x, y)) => x.cmp(y),
            None => match (a, b) {
                (V::Float(x), V::Int(y)) => cmp_f64_int(*x, *y),
                (V::Int(x), V::Float(y)) => cmp_f64_int(*y, *x).reverse(),
                _ => Ordering::Equal,
            },
        },
    }
}

/// Python's `repr` of a string, as minijinja prints strings inside lists and maps.
fn repr_str(s: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    f.write_char(quote)?;
    for c in s.chars() {
        match c {
            '\'' if quote == '\'' => f.write_str("\\'")?,
            '"' if quote == '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if c.is_control() => match c as u32 {
                n @ 0..=0xff => write!(f, "\\x{n:02x}")?,
                n @ 0..=0xffff => write!(f, "\\u{n:04x}")?,
                n => write!(f, "\\U{n:08x}")?,
            },
            c => f.write_char(c)?,
        }
    }
    f.write_char(quote)
}

/// A value as a template prints it (`{:#}`: as it appears inside a list or map).
impl fmt::Display for V<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = f.alternate();
        match self {
            V::Undef if inner => f.write_str("undefined"),
            V::Undef => Ok(()),
            V::None => f.write_str("None"),
            V::Bool(b) => f.write_str(if *b { "True" } else { "False" }),
            V::Int(i) => write!(f, "{i}"),
            V::Float(x) if inner => write!(f, "{x:?}"),
            V::Float(x) if x.is_nan() => f.write_str("NaN"),
            V::Float(x) if x.is_infinite() => f.write_str(if *x < 0.0 { "-inf" } else { "inf" }),
            V::Float(x) => {
                let s = x.to_string();
                f.write_str(&s)?;
                if s.contains('.') {
                    Ok(())
                } else {
                    f.write_str(".0")
                }
            }
            V::Str(_) | V::String(_) if inner => repr_str(self.as_str().unwrap_or_default(), f),
            V::Str(_) | V::String(_) => f.write_str(self.as_str().unwrap_or_default()),
            V::JList(_) | V::List(_) => {
                f.write_char('[')?;
                for (i, item) in self.seq_items().iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item:#}")?;
                }
                f.write_char(']')
            }
            V::Map(m) => {
                f.write_char('{')?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    repr_str(k, f)?;
                    write!(f, ": {:#}", from_json(v))?;
                }
                f.write_char('}')
            }
            V::Loop(l) => match l.len {
                Some(n) => write!(f, "<loop {}/{n}>", l.index0),
                None => write!(f, "<loop {}/?>", l.index0),
            },
        }
    }
}

/// Most fuel one rendering may burn: a unit per expression, statement and loop pass, per item
/// a comparison or `in` walks, and per 256 bytes of text it builds.
const FUEL: u64 = 100_000;

struct Renderer<'a> {
    scopes: Vec<Vec<(String, V<'a>)>>,
    root: Option<&'a Map<String, Json>>,
    fuel: u64,
    pos: Pos,
}

type R<T> = Result<T, Error>;

/// Renders parsed statements over `context` (its top-level keys are the variables).
pub(super) fn render(stmts: &[Stmt], context: &Json) -> Result<String, Error> {
    let mut r = Renderer {
        scopes: vec![Vec::new()],
        root: context.as_object(),
        fuel: FUEL,
        pos: Pos::default(),
    };
    let mut out = String::new();
    r.body(stmts, &mut out)?;
    Ok(out)
}

impl<'a> Renderer<'a> {
    fn error(&self, message: impl Into<String>) -> Error {
        Error::render(message.into(), self.pos)
    }

    fn burn(&mut self, units: u64) -> R<()> {
        match self.fuel.checked_sub(units) {
            Some(left) => {
                self.fuel = left;
                Ok(())
            }
            None => {
                self.fuel = 0;
                Err(self.error("the template ran out of fuel (too many steps)"))
            }
        }
    }

    fn burn_bytes(&mut self, bytes: usize) -> R<()> {
        self.burn(1 + bytes as u64 / 256)
    }

    fn lookup(&self, name: &str) -> V<'a> {
        for scope in self.scopes.iter().rev() {
            if let Some((_, v)) = scope.iter().rev().find(|(n, _)| n == name) {
                return v.clone();
            }
        }
        self.root
            .and_then(|m| m.get(name))
            .map_or(V::Undef, from_json)
    }

    fn assign(&mut self, name: &str, v: V<'a>) {
        if let Some(scope) = self.scopes.last_mut() {
            match scope.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = v,
                None => scope.push((name.to_string(), v)),
            }
        }
    }

    fn body(&mut self, stmts: &'a [Stmt], out: &mut String) -> R<()> {
        for stmt in stmts {
            self.burn(1)?;
            match stmt {
                Stmt::Text(text) => {
                    self.burn_bytes(text.len())?;
                    out.push_str(text);
                }
                Stmt::Emit(e) => {
                    let v = self.eval(e)?;
                    let len = out.len();
                    let _ = write!(out, "{v}");
                    self.burn_bytes(out.len() - len)?;
                }
                Stmt::If(branches, otherwise) => {
                    let mut taken = None;
                    for (cond, body) in branches {
                        if self.eval(cond)?.truthy() {
                            taken = Some(body);
                            break;
                        }
                    }
                    self.body(taken.unwrap_or(otherwise), out)?;
                }
                Stmt::For(f) => self.for_loop(f, out)?,
                Stmt::Set(name, e) => {
                    let v = self.eval(e)?;
                    self.assign(name, v);
                }
                Stmt::SetBlock(name, filter, body) => {
                    let mut text = String::new();
                    self.body(body, &mut text)?;
                    if let Some((filter, pos)) = filter {
                        self.pos = *pos;
                        return Err(
                            self.error(format!("unknown filter: filter {filter} is unknown"))
                        );
                    }
                    self.assign(name, V::string(text));
                }
            }
        }
        Ok(())
    }

    fn for_loop(&mut self, f: &'a ForLoop, out: &mut String) -> R<()> {
        let iter = self.eval(&f.iter)?;
        self.pos = f.iter.pos;
        let (items, len_known) = match &iter {
            V::Undef | V::None => (Vec::new(), true),
            V::JList(_) | V::List(_) => (iter.seq_items(), true),
            V::Map(m) => (m.keys().map(|k| V::Str(k)).collect(), true),
            V::Str(_) | V::String(_) => {
                let s = iter.as_str().unwrap_or_default();
                (s.chars().map(|c| V::string(c.to_string())).collect(), false)
            }
            other => return Err(self.error(format!("{} is not iterable", other.kind_name()))),
        };
        self.burn(items.len() as u64)?;
        // Filtered items are collected first, so their number is known even for a string.
        let len_known = len_known || f.filter.is_some();
        let items = match &f.filter {
            None => items,
            Some(cond) => {
                let mut kept = Vec::new();
                for item in items {
                    self.scopes.push(vec![(f.var.clone(), item.clone())]);
                    let keep = self.eval(cond);
                    self.scopes.pop();
                    if keep?.truthy() {
                        kept.push(item);
                    }
                }
                kept
            }
        };
        let len = items.len();
        if len == 0 {
            return self.body(&f.else_body, out);
        }
        for (index0, item) in items.into_iter().enumerate() {
            let state = LoopState {
                index0,
                len: len_known.then_some(len),
            };
            self.scopes.push(vec![
                ("loop".into(), V::Loop(Rc::new(state))),
                (f.var.clone(), item),
            ]);
            let done = self.body(&f.body, out);
            self.scopes.pop();
            done?;
        }
        Ok(())
    }

    fn eval(&mut self, e: &'a Expr) -> R<V<'a>> {
        self.burn(1)?;
        self.pos = e.pos;
        match &e.kind {
            ExprKind::Const(c) => Ok(match c {
                Const::None => V::None,
                Const::Bool(b) => V::Bool(*b),
                Const::Int(i) => V::Int(*i),
                Const::Float(x) => V::Float(*x),
                Const::Str(s) => V::Str(s),
            }),
            ExprKind::Var(name) => Ok(self.lookup(name)),
            ExprKind::List(items) => {
                let mut list = Vec::with_capacity(items.len());
                for item in items {
                    list.push(self.eval(item)?);
                }
                Ok(V::List(Rc::new(list)))
            }
            ExprKind::Attr(obj, name) => {
                let v = self.eval(obj)?;
                self.pos = e.pos;
                self.attr(&v, name)
            }
            ExprKind::Item(obj, sub) => {
                let v = self.eval(obj)?;
                let key = self.eval(sub)?;
                self.pos = e.pos;
                self.item(&v, &key)
            }
            ExprKind::Call => {
                Err(self.error("unknown function: templates have no functions or methods"))
            }
            ExprKind::Filter(name) => {
                Err(self.error(format!("unknown filter: filter {name} is unknown")))
            }
            ExprKind::Test(obj, name, args) => {
                let v = self.eval(obj)?;
                self.pos = e.pos;
                let result = match name.as_str() {
                    "defined" => !matches!(v, V::Undef),
                    "undefined" => matches!(v, V::Undef),
                    "none" => matches!(v, V::None),
                    _ => return Err(self.error(format!("unknown test: test {name} is unknown"))),
                };
                if *args > 0 {
                    return Err(self.error("too many arguments"));
                }
                Ok(V::Bool(result))
            }
            ExprKind::Not(inner) => Ok(V::Bool(!self.eval(inner)?.truthy())),
            ExprKind::Neg(inner) => {
                let v = self.eval(inner)?;
                self.pos = e.pos;
                match v {
                    V::Int(i) => i
                        .checked_neg()
                        .map(V::Int)
                        .ok_or_else(|| self.error(format!("unable to calculate -{i}"))),
                    V::Float(x) => Ok(V::Float(-x)),
                    _ => Err(self.error("invalid operation: cannot negate this value")),
                }
            }
            ExprKind::And(l, r) => {
                let v = self.eval(l)?;
                if v.truthy() { self.eval(r) } else { Ok(v) }
            }
            ExprKind::Or(l, r) => {
                let v = self.eval(l)?;
                if v.truthy() { Ok(v) } else { self.eval(r) }
            }
            ExprKind::IfElse(cond, then, otherwise) => {
                if self.eval(cond)?.truthy() {
                    self.eval(then)
                } else {
                    match otherwise {
                        Some(o) => self.eval(o),
                        None => Ok(V::Undef),
                    }
                }
            }
            ExprKind::Bin(op, l, r) => {
                let a = self.eval(l)?;
                let b = self.eval(r)?;
                self.pos = e.pos;
                self.binary(*op, &a, &b)
            }
            ExprKind::Chain(first, ops) => {
                let mut left = self.eval(first)?;
                for (op, negated, right) in ops {
                    let right = self.eval(right)?;
                    self.pos = e.pos;
                    let holds = self.binary(*op, &left, &right)?.truthy() != *negated;
                    if !holds {
                        return Ok(V::Bool(false));
                    }
                    left = right;
                }
                Ok(V::Bool(true))
            }
        }
    }

    fn attr(&self, v: &V<'a>, name: &str) -> R<V<'a>> {
        Ok(match v {
            V::Undef => return Err(self.error("undefined value")),
            V::Map(m) => m.get(name).map_or(V::Undef, from_json),
            V::Loop(l) => {
                let known = |n: Option<usize>| n.map_or(V::Undef, |n| V::Int(n as i128));
                match name {
                    "index" => V::Int(l.index0 as i128 + 1),
                    "index0" => V::Int(l.index0 as i128),
                    "first" => V::Bool(l.index0 == 0),
                    "last" => V::Bool(l.len == Some(l.index0 + 1)),
                    "length" => known(l.len),
                    "revindex" => known(l.len.map(|n| n - l.index0)),
                    "revindex0" => known(l.len.map(|n| n - l.index0 - 1)),
                    "depth" => V::Int(1),
                    "depth0" => V::Int(0),
                    _ => V::Undef,
                }
            }
            _ => V::Undef,
        })
    }

    fn item(&self, v: &V<'a>, key: &V<'a>) -> R<V<'a>> {
        let index = |len: usize| -> Option<usize> {
            let i = match key {
                V::Float(f) if (*f as i64) as f64 == *f => i128::from(*f as i64),
                other => other.int()?,
            };
            let i = if i < 0 { i + len as i128 } else { i };
            usize::try_from(i).ok().filter(|i| *i < len)
        };
        Ok(match v {
            V::Undef => return Err(self.error("undefined value")),
            V::Map(m) => key
                .as_str()
                .and_then(|k| m.get(k))
                .map_or(V::Undef, from_json),
            V::JList(items) => index(items.len()).map_or(V::Undef, |i| from_json(&items[i])),
            V::List(items) => index(items.len()).map_or(V::Undef, |i| items[i].clone()),
            V::Str(_) | V::String(_) => {
                let s = v.as_str().unwrap_or_default();
                let count = if s.is_ascii() {
                    s.len()
                } else {
                    s.chars().count()
                };
                index(count)
                    .and_then(|i| s.chars().nth(i))
                    .map_or(V::Undef, |c| V::string(c.to_string()))
            }
            V::Loop(_) => match key.as_str() {
                Some(name) => self.attr(v, name)?,
                None => V::Undef,
            },
            _ => V::Undef,
        })
    }

    fn unsupported(&self, op: &str, a: &V, b: &V) -> Error {
        self.error(format!(
            "invalid operation: tried to use {op} operator on unsupported types {} and {}",
            a.kind_name(),
            b.kind_name()
        ))
    }

    fn failed(&self, op: &str, a: &V, b: &V) -> Error {
        self.error(format!(
            "invalid operation: unable to calculate {a} {op} {b}"
        ))
    }

    fn binary(&mut self, op: Op, a: &V<'a>, b: &V<'a>) -> R<V<'a>> {
        // Comparing lists, maps and long strings walks them: fuel for the items.
        let size = |v: &V| match v {
            V::JList(_) | V::List(_) => v.seq_len().unwrap_or(0) as u64,
            V::Map(m) => m.len() as u64,
            other => other.as_str().map_or(0, |s| s.len() as u64 / 256),
        };
        match op {
            Op::In => self.burn(size(b))?,
            Op::Eq | Op::Ne | Op::Lt | Op::Lte | Op::Gt | Op::Gte => {
                self.burn(size(a).min(size(b)))?
            }
            _ => {}
        }
        let sym = match op {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::FloorDiv => "//",
            Op::Rem => "%",
            Op::Pow => "**",
            Op::Concat => "~",
            Op::Eq => return Ok(V::Bool(values_eq(a, b))),
            Op::Ne => return Ok(V::Bool(!values_eq(a, b))),
            Op::Lt => return Ok(V::Bool(values_cmp(a, b) == Ordering::Less)),
            Op::Lte => return Ok(V::Bool(values_cmp(a, b) != Ordering::Greater)),
            Op::Gt => return Ok(V::Bool(values_cmp(a, b) == Ordering::Greater)),
            Op::Gte => return Ok(V::Bool(values_cmp(a, b) != Ordering::Less)),
            Op::In => return self.contains(b, a),
        };
        let int = |r: Option<i128>| r.map(V::Int).ok_or_else(|| self.failed(sym, a, b));
        match op {
            Op::Concat => {
                let s = format!("{a}{b}");
                self.burn_bytes(s.len())?;
                Ok(V::string(s))
            }
            Op::Add if a.seq_len().is_some() && b.seq_len().is_some() => {
                let mut items = a.seq_items();
                items.extend(b.seq_items());
                self.burn_bytes(items.len() * 16)?;
                Ok(V::List(Rc::new(items)))
            }
            Op::Mul if a.as_str().is_some() || b.as_str().is_some() => {
                let (s, n) = match a.as_str() {
                    Some(s) => (s, b),
                    None => (b.as_str().unwrap_or_default(), a),
                };
                let n = n.count().ok_or_else(|| {
                    self.error("invalid operation: strings can only be multiplied with integers")
                })?;
                let len = s.len().saturating_mul(n);
                self.burn_bytes(len)?;
                Ok(V::string(s.repeat(n)))
            }
            Op::Mul if a.seq_len().is_some() || b.seq_len().is_some() => {
                let (seq, n) = if a.seq_len().is_some() {
                    (a, b)
                } else {
                    (b, a)
                };
                let n = n.count().ok_or_else(|| {
                    self.error("invalid operation: sequences can only be multiplied with integers")
                })?;
                let items = seq.seq_items();
                // Nothing to repeat: no passes (`[] * 10**18` would spin otherwise).
                let n = if items.is_empty() { 0 } else { n };
                self.burn_bytes(items.len().saturating_mul(n).saturating_mul(16))?;
                let mut out = Vec::new();
                for _ in 0..n {
                    out.extend(items.iter().cloned());
                }
                Ok(V::List(Rc::new(out)))
            }
            Op::Div => match (a.float(), b.float()) {
                (Some(x), Some(y)) => {
                    if y == 0.0 {
                        Err(self.failed(sym, a, b))
                    } else {
                        Ok(V::Float(x / y))
                    }
                }
                _ => Err(self.unsupported(sym, a, b)),
            },
            _ => match coerce(a, b, true) {
                Some(Coerced::Str(x, y)) if op == Op::Add => {
                    self.burn_bytes(x.len() + y.len())?;
                    Ok(V::string(format!("{x}{y}")))
                }
                Some(Coerced::Int(x, y)) => match op {
                    Op::Add => int(x.checked_add(y)),
                    Op::Sub => int(x.checked_sub(y)),
                    Op::Mul => int(x.checked_mul(y)),
                    Op::FloorDiv => int(div_rem_floor(x, y).map(|r| r.0)),
                    Op::Rem => int(div_rem_floor(x, y).map(|r| r.1)),
                    _ if y < 0 && x == 0 => Err(self.failed(sym, a, b)),
                    _ if y < 0 => Ok(V::Float((x as f64).powf(y as f64))),
                    _ => int(u32::try_from(y).ok().and_then(|y| x.checked_pow(y))),
                },
                Some(Coerced::Float(x, y)) => match op {
                    Op::Add => Ok(V::Float(x + y)),
                    Op::Sub => Ok(V::Float(x - y)),
                    Op::Mul => Ok(V::Float(x * y)),
                    Op::FloorDiv | Op::Rem if y == 0.0 => Err(self.failed(sym, a, b)),
                    Op::FloorDiv => Ok(V::Float(float_div_rem_floor(x, y).0)),
                    Op::Rem => Ok(V::Float(float_div_rem_floor(x, y).1)),
                    _ if x == 0.0 && y < 0.0 => Err(self.failed(sym, a, b)),
                    _ => Ok(V::Float(x.powf(y))),
                },
                _ => Err(self.unsupported(sym, a, b)),
            },
        }
    }

    fn contains(&self, container: &V<'a>, item: &V<'a>) -> R<V<'a>> {
        Ok(V::Bool(match container {
            V::Undef => false,
            V::Str(_) | V::String(_) => {
                let s = container.as_str().unwrap_or_default();
                match item.as_str() {
                    Some(needle) => s.contains(needle),
                    None => s.contains(&item.to_string()),
                }
            }
            V::Map(m) => item.as_str().is_some_and(|k| m.contains_key(k)),
            V::JList(_) | V::List(_) => container.seq_items().iter().any(|x| values_eq(x, item)),
            V::Loop(_) => false,
            _ => {
                return Err(self
                    .error("invalid operation: cannot perform a containment check on this value"));
            }
        }))
    }
}

/// Integer division and remainder rounding toward negative infinity, like Python.
fn div_rem_floor(a: i128, b: i128) -> Option<(i128, i128)> {
    let mut q = a.checked_div(b)?;
    let mut r = a.checked_rem(b)?;
    if r != 0 && (r < 0) != (b < 0) {
        q = q.checked_sub(1)?;
        r = r.checked_add(b)?;
    }
    Some((q, r))
}

/// Float division and remainder rounding toward negative infinity, like Python.
fn float_div_rem_floor(a: f64, b: f64) -> (f64, f64) {
    let mut r = a % b;
    let mut q = (a - r) / b;
    if r != 0.0 {
        if (r < 0.0) != (b < 0.0) {
            r += b;
            q -= 1.0;
        }
    } else {
        r = 0.0f64.copysign(b);
    }
    if q != 0.0 {
        let mut floored = q.floor();
        if q - floored > 0.5 {
            floored += 1.0;
        }
        q = floored;
    } else {
        q = 0.0f64.copysign(a / b);
    }
    (q, r)
}
