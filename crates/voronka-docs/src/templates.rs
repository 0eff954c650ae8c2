//! The bundled templates, embedded in the library.

/// Shared helpers of the bundled templates, served as `/voronka.typ`.
pub(crate) const LIB: &str = include_str!("../templates/voronka.typ");
/// Commercial offer.
pub(crate) const COMMERCIAL_OFFER: &str = include_str!("../templates/commercial_offer.typ");
/// International consignment note.
pub(crate) const CMR: &str = include_str!("../templates/cmr.typ");
/// Invoice for payment.
pub(crate) const INVOICE: &str = include_str!("../templates/invoice.typ");
/// Packing list.
pub(crate) const PACKING_LIST: &str = include_str!("../templates/packing_list.typ");
/// Act of acceptance.
pub(crate) const ACT: &str = include_str!("../templates/act.typ");
/// Specification to a contract.
pub(crate) const SPECIFICATION: &str = include_str!("../templates/specification.typ");

/// Every bundled source, the helper module first: the order of the parse
/// cache of a renderer.
pub(crate) const ALL: [&str; 7] = [
    LIB,
    COMMERCIAL_OFFER,
    CMR,
    INVOICE,
    PACKING_LIST,
    ACT,
    SPECIFICATION,
];
