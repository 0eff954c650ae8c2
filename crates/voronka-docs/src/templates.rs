//! The bundled templates, embedded in the library.

/// The module the bundled templates import, served as `/voronka.typ`: the
/// data and the helpers.
pub(crate) const LIB: &str = include_str!("../templates/voronka.typ");
/// The helpers themselves, served as `/voronka-helpers.typ`; they read no
/// data, so typst evaluates them once and not for every document.
pub(crate) const HELPERS: &str = include_str!("../templates/voronka-helpers.typ");
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

/// Russian consignment note (транспортная накладная).
pub(crate) const WAYBILL: &str = include_str!("../templates/waybill.typ");

/// Every bundled source, the two helper modules first (in the order of
/// [`MODULE_PATHS`]): the order of the parse cache of a renderer.
pub(crate) const ALL: [&str; 9] = [
    LIB,
    HELPERS,
    COMMERCIAL_OFFER,
    CMR,
    INVOICE,
    PACKING_LIST,
    ACT,
    SPECIFICATION,
    WAYBILL,
];

/// Where the helper modules at the head of [`ALL`] are served; the templates
/// after them are served as the main file.
pub(crate) const MODULE_PATHS: [&str; 2] = [crate::world::LIB_PATH, crate::world::HELPERS_PATH];
