//! Decoding of internally tagged and untagged enums without serde's `Content` buffer.
//!
//! serde's derive reads an internally tagged (`#[serde(tag = "type")]`) or untagged enum into
//! its private `Content` tree, then decodes the variant again from that tree: every type
//! inside such an enum is compiled a second time for the `Content` deserializer, and the
//! tree itself is a large piece of code. Both were a third of the npm package's WebAssembly
//! module.
//!
//! Here the object is read once into its members' raw JSON texts (in order, duplicates
//! kept), and the variant is decoded from those texts with the very deserializer that reads
//! the whole input (`serde_json`'s string reader), so every type is compiled once. What is
//! decoded stays as serde decoded it: the same variants, defaults and unknown-field rules
//! (the variant decoders are serde's own, derived for a shadow of the enum, see
//! [`decoded_enum`]), the same messages, and errors at the same places (a bad member of a
//! variant is reported after the object, as before).
//!
//! Reading every member as text and then parsing it again is the slow part of decoding a
//! command, so [`decode_json`](crate::decode_json) first decodes *streaming* (see
//! [`streaming`]): a command's action whose tag is its first member, as JavaScript and serde
//! write it, gives the rest of its members straight to the variant's decoder. Only a text
//! that fails so is decoded again the way described above, for its error. (Streaming takes a
//! second copy of an enum's variant decoders, so only the enums of hot inputs stream.)
//!
//! The enums decode from JSON (text, a reader or a `serde_json::Value`); other formats cannot
//! hand over raw JSON members.
//!
//! Where this differs from serde's buffer (codes and paths of errors do not):
//! - a tagged value given as an array (`["tick"]`, `["move", "won"]`), which the buffer took
//!   as a form of the enum, is an error ("invalid type: sequence, expected internally tagged
//!   enum Action");
//! - a tag inside a member (a run's step state in an event) given as a number is an error
//!   ("expected variant identifier"), as it always was outside a member; the buffer took it
//!   as the variant's index. An event's own `type` still takes an index;
//! - a member of a plain enum type (a task's status) given a wrong JSON type gives
//!   serde_json's message ("expected value"), as outside a member, not the buffer's
//!   ("expected string or map").

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, CowStrDeserializer, MapAccessDeserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, Error as _, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::value::RawValue;

/// An object's members: each key with its value's JSON text, in the object's order.
pub(crate) type Members<'de> = Vec<(Cow<'de, str>, Box<RawValue>)>;

/// An enum decoded through a shadow of it (see [`decoded_enum`]).
pub(crate) trait Shadowed: Sized {
    /// Decodes the variant `de` names from what `de` holds, with serde's derived decoder.
    fn decode(de: VariantDe<'_>) -> Result<Self, serde_json::Error>;
    /// Whether the enum decodes [`streaming`] (a second copy of its variants' decoders, for
    /// the rest of an object being read: worth its size for the hot inputs only).
    const STREAMED: bool = false;
    /// Decodes `variant` from the rest of an object being read, with serde's derived decoder
    /// (see [`streaming`]); only called when [`STREAMED`](Shadowed::STREAMED).
    fn decode_rest<'de, A: MapAccess<'de>>(
        variant: &'static str,
        rest: Rest<'_, A>,
    ) -> Result<Self, A::Error> {
        let _ = rest;
        Err(A::Error::custom(format_args!(
            "{variant} is not decoded streaming"
        )))
    }
    /// The variants' names (as serialized), in declaration order.
    fn variants() -> &'static [&'static str];
}

/// Declares an enum whose `Deserialize` decodes through this module: the enum as written
/// (its own `#[serde]` attributes serve `Serialize` and the JSON schema), and a private
/// copy of it with serde's `remote` derive, externally tagged, that decodes each variant.
///
/// `(tag = "type")` decodes an internally tagged enum, `(untagged)` an untagged one, and
/// `(tag = "type", streamed)` an internally tagged one that [`decode_json`](crate::decode_json)
/// decodes [`streaming`]; then the copy's name and its `#[serde]` attributes, starting with `remote = "TheEnum"`.
macro_rules! decoded_enum {
    (@decode (tag = $tag:tt, streamed) $d:ident $name:ident) => {
        $crate::tagged::decoded_enum!(@decode (tag = $tag) $d $name)
    };
    (@decode (tag = $tag:tt) $d:ident $name:ident) => {
        $crate::tagged::internally_tagged(
            $d,
            $tag,
            concat!("internally tagged enum ", stringify!($name)),
        )
    };
    (@decode (untagged) $d:ident $name:ident) => {
        $crate::tagged::untagged($d, stringify!($name))
    };
    (@streamed $shadow:ident (tag = $tag:tt, streamed)) => {
        const STREAMED: bool = true;
        fn decode_rest<'de, A: serde::de::MapAccess<'de>>(
            variant: &'static str,
            rest: $crate::tagged::Rest<'_, A>,
        ) -> Result<Self, A::Error> {
            $shadow::deserialize($crate::tagged::RestDe { variant, rest })
        }
    };
    (@streamed $shadow:ident $how:tt) => {};
    (
        $how:tt, shadow = $shadow:ident [$($sattr:tt)*];
        $(#[$attr:meta])*
        $vis:vis enum $name:ident { $($body:tt)* }
    ) => {
        $(#[$attr])*
        $vis enum $name { $($body)* }

        /// The decoder of each variant (serde's, externally tagged) of the enum above.
        #[derive(serde::Deserialize)]
        #[serde($($sattr)*)]
        #[allow(dead_code, clippy::large_enum_variant)]
        enum $shadow { $($body)* }

        impl $crate::tagged::Shadowed for $name {
            fn decode(de: $crate::tagged::VariantDe<'_>) -> Result<Self, serde_json::Error> {
                $shadow::deserialize(de)
            }
            $crate::tagged::decoded_enum!(@streamed $shadow $how);
            fn variants() -> &'static [&'static str] {
                // Probed once: the probe's error costs an allocation.
                static VARIANTS: std::sync::OnceLock<&'static [&'static str]> =
                    std::sync::OnceLock::new();
                VARIANTS.get_or_init(|| {
                    $crate::tagged::variants_of(|probe| $shadow::deserialize(probe).map(drop))
                })
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::tagged::decoded_enum!(@decode $how d $name)
            }
        }
    };
}
pub(crate) use decoded_enum;

/// Decodes an internally tagged enum: an object whose member `tag` names the variant and
/// whose other members are the variant's. `expecting` is serde's description of the enum.
pub(crate) fn internally_tagged<'de, D: Deserializer<'de>, T: Shadowed>(
    d: D,
    tag: &'static str,
    expecting: &'static str,
) -> Result<T, D::Error> {
    match d.deserialize_any(TaggedVisitor {
        tag,
        expecting,
        variants: T::variants(),
        decoded: PhantomData::<T>,
    })? {
        Tagged::Decoded(value) => Ok(value),
        Tagged::Read(variant, members) => decode(variant, Body::Members(&members)),
    }
}

/// Decodes an internally tagged enum from members read by another decoder (an object's
/// members its own fields did not take, as with `#[serde(flatten)]`).
pub(crate) fn from_members<T: Shadowed, E: de::Error>(
    mut members: Members<'_>,
    tag: &'static str,
) -> Result<T, E> {
    // Members the change does not know are skipped unread: check them as serde's buffer did.
    for (_, raw) in &members {
        check_syntax(raw)?;
    }
    let variants = T::variants();
    let mut found = None;
    let mut i = 0;
    while i < members.len() {
        if members[i].0 != tag {
            i += 1;
            continue;
        }
        if found.is_some() {
            return Err(E::duplicate_field(tag));
        }
        let (_, raw) = members.remove(i);
        // serde's buffer took a number as the variant's index.
        if let Ok(index) = raw.get().parse::<u64>() {
            found = Some(match variants.get(index as usize) {
                Some(name) => *name,
                None => {
                    return Err(E::invalid_value(
                        de::Unexpected::Unsigned(index),
                        &format!("variant index 0 <= i < {}", variants.len()).as_str(),
                    ));
                }
            });
            continue;
        }
        let mut de = serde_json::Deserializer::from_str(raw.get());
        found = Some(
            (&mut de)
                .deserialize_identifier(TagVisitor(variants))
                .map_err(relay::<E>)?,
        );
    }
    match found {
        Some(variant) => decode(variant, Body::Members(&members)),
        None => Err(E::missing_field(tag)),
    }
}

/// Decodes an untagged enum: the first variant, in declaration order, that decodes.
pub(crate) fn untagged<'de, D: Deserializer<'de>, T: Shadowed>(
    d: D,
    name: &'static str,
) -> Result<T, D::Error> {
    let raw: Box<RawValue> = serde::Deserialize::deserialize(d)?;
    check_syntax(&raw)?;
    for &variant in T::variants() {
        if let Ok(value) = T::decode(VariantDe {
            variant,
            body: Body::Raw(raw.get()),
        }) {
            return Ok(value);
        }
    }
    Err(D::Error::custom(format_args!(
        "data did not match any variant of untagged enum {name}"
    )))
}

/// A member's key, borrowed from the input when it can be.
pub(crate) struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
}

/// Fails on what serde_json's full parse rejects in captured text (capturing the text alone
/// accepts lone surrogates and numbers out of range; decoding a member checks it, skipping
/// one does not). The error is a data error
/// here; [`decode_json`](crate::decode_json) reports it as the syntax error it is, where it
/// stands (see [`syntax_error`]).
fn check_syntax<E: de::Error>(raw: &RawValue) -> Result<(), E> {
    let mut de = serde_json::Deserializer::from_str(raw.get());
    serde::Deserialize::deserialize(&mut de)
        .map(|Strict| ())
        .map_err(relay)
}

/// The first syntax error of `text` as serde_json's full parse finds it, if any.
pub(crate) fn syntax_error(text: &str) -> Option<serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    match <Strict as serde::Deserialize>::deserialize(&mut de).and_then(|_| de.end()) {
        Err(e) if e.is_syntax() || e.is_eof() => Some(e),
        _ => None,
    }
}

/// Any JSON value, read with every check of serde_json's parse and kept nowhere.
struct Strict;

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Strict)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Strict;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_str<E>(self, _: &str) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        while seq.next_element::<Strict>()?.is_some() {}
        Ok(Strict)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        while map.next_key::<Strict>()?.is_some() {
            map.next_value::<Strict>()?;
        }
        Ok(Strict)
    }
}

/// The variants of a shadow: what its decoder passes to `deserialize_enum`.
pub(crate) fn variants_of(
    decode: impl FnOnce(Probe<'_>) -> Result<(), serde_json::Error>,
) -> &'static [&'static str] {
    let seen = Cell::new(&[][..]);
    // The probe always fails; it only records the list.
    let _ = decode(Probe(&seen));
    seen.get()
}

fn decode<T: Shadowed, E: de::Error>(variant: &str, body: Body<'_>) -> Result<T, E> {
    T::decode(VariantDe { variant, body }).map_err(relay)
}

/// An error of decoding a member's text, passed on without its position in that text: the
/// outer deserializer places it (after the object, as serde's `Content` decoding did).
fn relay<E: de::Error>(error: serde_json::Error) -> E {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) if error.line() != 0 => E::custom(&message[..at]),
        _ => E::custom(message),
    }
}

/// What [`TaggedVisitor`] read: the value itself when it streamed, or the variant and the
/// other members to decode it from.
enum Tagged<'de, T> {
    Decoded(T),
    Read(&'static str, Members<'de>),
}

/// Reads an internally tagged enum's object: the tag (checked where it stands) and the
/// other members, or, when [`streaming`] and the tag comes first, the value itself.
struct TaggedVisitor<T> {
    tag: &'static str,
    expecting: &'static str,
    variants: &'static [&'static str],
    decoded: PhantomData<T>,
}

impl<'de, T: Shadowed> Visitor<'de> for TaggedVisitor<T> {
    type Value = Tagged<'de, T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut variant = None;
        let mut members = Members::new();
        let mut first = true;
        while let Some(key) = map.next_key_seed(Key)? {
            if key == self.tag {
                if variant.is_some() {
                    return Err(A::Error::duplicate_field(self.tag));
                }
                let name = map.next_value_seed(TagSeed(self.variants))?;
                if first && T::STREAMED && STREAMING.get() {
                    let rest = Rest {
                        map: &mut map,
                        tag: self.tag,
                    };
                    return T::decode_rest(name, rest).map(Tagged::Decoded);
                }
                variant = Some(name);
            } else {
                members.push((key, map.next_value()?));
            }
            first = false;
        }
        match variant {
            Some(variant) => Ok(Tagged::Read(variant, members)),
            None => Err(A::Error::missing_field(self.tag)),
        }
    }

    /// serde also reads `[tag, members…]`; the tag is checked as there, the rest is not a
    /// form of these enums.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        match seq.next_element_seed(TagSeed(self.variants))? {
            None => Err(A::Error::missing_field(self.tag)),
            Some(_) => Err(A::Error::invalid_type(de::Unexpected::Seq, &self)),
        }
    }
}

thread_local! {
    /// Whether tagged enums may decode as they read (see [`streaming`]).
    static STREAMING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `decode` with internally tagged enums decoded as they are read when their tag is
/// their object's first member: the variant's members go straight to its decoder, without
/// being captured as text and parsed again. What decodes is the same either way (the same
/// decoders see the same members in the same order, and a later tag is still a duplicate);
/// what differs is where an error is reported: inside the object rather than after it, as
/// serde's buffer did. So a failed streaming decode must be done again without streaming to
/// report its error ([`decode_json`](crate::decode_json) does).
pub(crate) fn streaming<R>(decode: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            STREAMING.set(self.0);
        }
    }
    let _restore = Restore(STREAMING.replace(true));
    decode()
}

/// The rest of an internally tagged enum's object after its tag: its other members, as a map
/// in which the tag given again is a duplicate.
pub(crate) struct Rest<'m, A> {
    map: &'m mut A,
    tag: &'static str,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Rest<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.map.next_key_seed(Key)? {
            None => Ok(None),
            Some(key) if key == self.tag => Err(A::Error::duplicate_field(self.tag)),
            Some(key) => seed.deserialize(CowStrDeserializer::new(key)).map(Some),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        self.map.next_value_seed(seed)
    }
}

/// The methods of a `Deserializer` that is its own `EnumAccess`: whatever it is asked for, it
/// visits the enum (a shadow's derived decoder asks for an enum).
macro_rules! visits_enum {
    ($de:lifetime) => {
        fn deserialize_any<V: Visitor<$de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            visitor.visit_enum(self)
        }

        forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
            identifier ignored_any
        }
    };
}

/// A variant and the rest of its object, presented to a shadow's derived decoder as an
/// externally tagged enum.
pub(crate) struct RestDe<'m, A> {
    pub(crate) variant: &'static str,
    pub(crate) rest: Rest<'m, A>,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for RestDe<'_, A> {
    type Error = A::Error;

    visits_enum!('de);
}

impl<'de, 'm, A: MapAccess<'de>> EnumAccess<'de> for RestDe<'m, A> {
    type Error = A::Error;
    type Variant = Rest<'m, A>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Self::Error> {
        let name = seed.deserialize(BorrowedStrDeserializer::new(self.variant))?;
        Ok((name, self.rest))
    }
}

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for Rest<'_, A> {
    type Error = A::Error;

    /// The other members are read and ignored, as [`Body`] does.
    fn unit_variant(mut self) -> Result<(), Self::Error> {
        while self.next_key_seed(PhantomData::<de::IgnoredAny>)?.is_some() {
            self.next_value_seed(PhantomData::<Strict>)?;
        }
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        seed.deserialize(MapAccessDeserializer::new(self))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Self::Error> {
        Err(no_tuple_variants(&visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_map(self)
    }
}

/// Internally tagged enums have no tuple variants (serde rejects them at compile time).
fn no_tuple_variants<E: de::Error>(visitor: &dyn de::Expected) -> E {
    E::invalid_type(de::Unexpected::TupleVariant, visitor)
}

/// A tag's value: one of the variants' names.
struct TagSeed(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = &'static str;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_identifier(TagVisitor(self.0))
    }
}

struct TagVisitor(&'static [&'static str]);

impl<'de> Visitor<'de> for TagVisitor {
    type Value = &'static str;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.0
            .iter()
            .find(|name| **name == v)
            .copied()
            .ok_or_else(|| E::unknown_variant(v, self.0))
    }
}

/// What a variant is decoded from.
#[derive(Clone, Copy)]
pub(crate) enum Body<'a> {
    /// An internally tagged enum's members other than the tag.
    Members(&'a [(Cow<'a, str>, Box<RawValue>)]),
    /// An untagged enum's whole value.
    Raw(&'a str),
}

/// A variant and what it is decoded from, presented to a shadow's derived decoder as an
/// externally tagged enum.
pub(crate) struct VariantDe<'a> {
    variant: &'a str,
    body: Body<'a>,
}

impl<'de> Deserializer<'de> for VariantDe<'de> {
    type Error = serde_json::Error;

    visits_enum!('de);
}

impl<'de> EnumAccess<'de> for VariantDe<'de> {
    type Error = serde_json::Error;
    type Variant = Body<'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Self::Error> {
        let name = seed.deserialize(BorrowedStrDeserializer::new(self.variant))?;
        Ok((name, self.body))
    }
}

impl<'de> VariantAccess<'de> for Body<'de> {
    type Error = serde_json::Error;

    /// serde's internally tagged unit variants ignore other members (checked as serde's
    /// buffer did).
    fn unit_variant(self) -> Result<(), Self::Error> {
        match self {
            Body::Members(members) => members.iter().try_for_each(|(_, raw)| check_syntax(raw)),
            Body::Raw(text) => from_text(text, |de| <() as serde::Deserialize>::deserialize(de)),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        match self {
            Body::Members(members) => seed.deserialize(MembersDe(members)),
            Body::Raw(text) => from_text(text, |de| seed.deserialize(de)),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Self::Error> {
        Err(no_tuple_variants(&visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self {
            Body::Members(members) => visitor.visit_map(MembersMap {
                members: members.iter(),
                value: None,
            }),
            Body::Raw(text) => from_text(text, |de| de.deserialize_struct("", fields, visitor)),
        }
    }
}

/// Decodes a captured JSON value with the input's own deserializer type. The text is exactly
/// one value (serde_json captured it), so nothing is left to check after it.
fn from_text<'de, T>(
    text: &'de str,
    decode: impl FnOnce(
        &mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
    ) -> Result<T, serde_json::Error>,
) -> Result<T, serde_json::Error> {
    decode(&mut serde_json::Deserializer::from_str(text))
}

/// Members as a map, for a newtype variant's struct.
struct MembersDe<'a>(&'a [(Cow<'a, str>, Box<RawValue>)]);

impl<'de> Deserializer<'de> for MembersDe<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(MembersMap {
            members: self.0.iter(),
            value: None,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct MembersMap<'a> {
    members: std::slice::Iter<'a, (Cow<'a, str>, Box<RawValue>)>,
    value: Option<&'a str>,
}

impl<'de> MapAccess<'de> for MembersMap<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.members.next() {
            Some((key, raw)) => {
                self.value = Some(raw.get());
                seed.deserialize(BorrowedStrDeserializer::new(key))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match self.value.take() {
            Some(text) => from_text(text, |de| seed.deserialize(de)),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// Records the variants a shadow's decoder names, then fails.
pub(crate) struct Probe<'a>(&'a Cell<&'static [&'static str]>);

impl<'de> Deserializer<'de> for Probe<'_> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not an enum"))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.set(variants);
        Err(de::Error::custom("probed"))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::streaming;

    #[test]
    fn a_streamed_variant_reports_its_errors_where_they_are() {
        let text = r#"[{"type": "move", "to": 5, "fields": {}}]"#;
        let exact = serde_json::from_str::<Vec<crate::Action>>(text).expect_err("a number");
        let streamed =
            streaming(|| serde_json::from_str::<Vec<crate::Action>>(text)).expect_err("a number");
        // Streaming reads the variant's members as they come; the buffered reading decodes
        // them after the object.
        assert_eq!((streamed.column(), exact.column()), (25, 41));
        // A tag given again is a duplicate either way.
        let twice = r#"{"type": "tick", "type": "tick"}"#;
        for result in [
            serde_json::from_str::<crate::Action>(twice),
            streaming(|| serde_json::from_str::<crate::Action>(twice)),
        ] {
            let message = result.expect_err("a duplicate").to_string();
            assert!(message.starts_with("duplicate field `type`"), "{message}");
        }
    }
}
