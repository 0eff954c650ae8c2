//! Typed input data for the bundled documents.
//!
//! Every struct deserialises from JSON with serde. Amounts, quantities, rates
//! and weights are [`Decimal`]s and may be written in JSON either as strings
//! (`"1234.50"`, exact) or as numbers (`1234.5`, read through their shortest
//! decimal representation, never through binary floating point arithmetic).
//! Optional fields may be omitted or `null`.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The language of a rendered document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Language {
    /// Russian only.
    #[default]
    Ru,
    /// English only.
    En,
    /// Both: labels in two lines (Russian over English), texts side by side.
    Both,
}

impl Language {
    /// The code used in data and in templates: `ru`, `en` or `both`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ru => "ru",
            Self::En => "en",
            Self::Both => "both",
        }
    }
}

/// A currency the documents can write amounts in (and in words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum Currency {
    /// Russian rouble, `RUB`.
    #[default]
    Rub,
    /// Euro, `EUR`.
    Eur,
    /// US dollar, `USD`.
    Usd,
    /// Chinese yuan renminbi, `CNY`.
    Cny,
}

impl Currency {
    /// The ISO 4217 code, e.g. `RUB`.
    pub fn iso(self) -> &'static str {
        match self {
            Self::Rub => "RUB",
            Self::Eur => "EUR",
            Self::Usd => "USD",
            Self::Cny => "CNY",
        }
    }

    /// The short Russian name used in table headers, e.g. `руб.`.
    pub fn short_ru(self) -> &'static str {
        match self {
            Self::Rub => "руб.",
            Self::Eur => "евро",
            Self::Usd => "долл. США",
            Self::Cny => "юаней",
        }
    }
}

/// Bank details of a party.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankDetails {
    /// Name of the bank.
    pub bank_name: String,
    /// Settlement account (р/с) or IBAN.
    pub account: String,
    /// БИК or SWIFT/BIC.
    pub bic: String,
    /// Correspondent account (к/с), for Russian banks.
    #[serde(default)]
    pub correspondent_account: Option<String>,
    /// Address of the bank, mostly for foreign banks.
    #[serde(default)]
    pub bank_address: Option<String>,
}

/// The person who signs for a party.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    /// Full name or surname with initials, e.g. `Иванов И. И.`.
    pub name: String,
    /// Position, e.g. `Генеральный директор`.
    pub position: String,
    /// Position in English, e.g. `General Director`, used by English text.
    #[serde(default)]
    pub position_en: Option<String>,
}

/// A seller, buyer, carrier or any other party to a document.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Legal name, e.g. `ООО «ЭкоПак»`.
    pub name: String,
    /// Legal or postal address.
    pub address: String,
    /// Country, e.g. `Россия` or `Germany`.
    #[serde(default)]
    pub country: Option<String>,
    /// Russian taxpayer number (ИНН).
    #[serde(default)]
    pub inn: Option<String>,
    /// Russian tax registration reason code (КПП).
    #[serde(default)]
    pub kpp: Option<String>,
    /// Russian state registration number (ОГРН).
    #[serde(default)]
    pub ogrn: Option<String>,
    /// VAT identification number of a foreign company.
    #[serde(default)]
    pub vat_id: Option<String>,
    /// Bank details.
    #[serde(default)]
    pub bank: Option<BankDetails>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Who signs for this party.
    #[serde(default)]
    pub signatory: Option<Signatory>,
}

/// A reference to the contract a document belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractRef {
    /// Contract number.
    pub number: String,
    /// Date the contract was signed.
    pub date: NaiveDate,
}

/// One line of goods or services.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineItem {
    /// Name of the goods or service.
    pub name: String,
    /// English name, shown by English and bilingual documents when given.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Article or SKU.
    #[serde(default)]
    pub code: Option<String>,
    /// Customs commodity code (HS / ТН ВЭД), the CMR's "statistical number".
    #[serde(default)]
    pub hs_code: Option<String>,
    /// Quantity, must be positive.
    #[serde(with = "crate::decimal_serde")]
    pub quantity: Decimal,
    /// Unit of measure, e.g. `шт.`.
    pub unit: String,
    /// Unit of measure in English, e.g. `pcs`.
    #[serde(default)]
    pub unit_en: Option<String>,
    /// Price per unit, not negative. Excludes VAT unless the document says
    /// `vat_included`.
    #[serde(with = "crate::decimal_serde")]
    pub price: Decimal,
    /// VAT rate in percent, e.g. `20`; absent or `null` for goods without VAT.
    #[serde(default, with = "crate::decimal_serde::option")]
    pub vat_rate: Option<Decimal>,
    /// Net weight of the whole line in kg.
    #[serde(default, with = "crate::decimal_serde::option")]
    pub net_weight_kg: Option<Decimal>,
    /// Gross weight of the whole line in kg (required by the CMR and the
    /// packing list).
    #[serde(default, with = "crate::decimal_serde::option")]
    pub gross_weight_kg: Option<Decimal>,
    /// Volume of the whole line in cubic metres.
    #[serde(default, with = "crate::decimal_serde::option")]
    pub volume_m3: Option<Decimal>,
    /// Number of packages (required by the CMR and the packing list).
    #[serde(default)]
    pub packages: Option<u32>,
    /// Method of packing, e.g. `паллета` / `pallet`.
    #[serde(default)]
    pub package_type: Option<String>,
    /// Marks and numbers on the packages.
    #[serde(default)]
    pub marks: Option<String>,
}

/// The fields every commercial document has (numbering, parties, goods),
/// borrowed from one of the document structs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Commercial<'a> {
    /// Document number.
    pub number: &'a str,
    /// Document date.
    pub date: NaiveDate,
    /// Currency of all prices.
    pub currency: Currency,
    /// Seller, supplier or executor.
    pub seller: &'a Party,
    /// Buyer, customer or consignee.
    pub buyer: &'a Party,
    /// The contract, when there is one.
    pub contract: Option<&'a ContractRef>,
    /// Goods or services.
    pub items: &'a [LineItem],
    /// Whether prices already include VAT.
    pub vat_included: bool,
    /// Free text printed under the totals.
    pub notes: Option<&'a str>,
}

macro_rules! commercial_document {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            contract: $contract_ty:ty, $contract_doc:literal;
            $(
                $(#[$fmeta:meta])*
                pub $field:ident : $ty:ty,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// Document number, see
            /// [`format_document_number`](crate::format_document_number).
            pub number: String,
            /// Document date.
            pub date: NaiveDate,
            /// Currency of all prices (default `RUB`).
            #[serde(default)]
            pub currency: Currency,
            /// Seller, supplier or executor.
            pub seller: Party,
            /// Buyer, customer or consignee.
            pub buyer: Party,
            #[doc = $contract_doc]
            #[serde(default)]
            pub contract: $contract_ty,
            /// Goods or services, at least one.
            pub items: Vec<LineItem>,
            /// Whether prices already include VAT (VAT is then extracted, not
            /// added on top).
            #[serde(default)]
            pub vat_included: bool,
            /// Free text printed under the totals.
            #[serde(default)]
            pub notes: Option<String>,
            $(
                $(#[$fmeta])*
                #[serde(default)]
                pub $field: $ty,
            )*
        }

        impl $name {
            /// The fields shared by all commercial documents.
            pub fn commercial(&self) -> Commercial<'_> {
                Commercial {
                    number: &self.number,
                    date: self.date,
                    currency: self.currency,
                    seller: &self.seller,
                    buyer: &self.buyer,
                    contract: self.contract.as_ref(),
                    items: &self.items,
                    vat_included: self.vat_included,
                    notes: self.notes.as_deref(),
                }
            }
        }
    };
}

commercial_document! {
    /// Commercial offer (коммерческое предложение), sent at deal stage D2.
    pub struct CommercialOffer {
        contract: Option<ContractRef>, "The contract, when there is one.";
        /// The offer is valid until this date.
        pub valid_until: Option<NaiveDate>,
        /// Opening paragraph addressed to the client.
        pub intro: Option<String>,
        /// Payment terms, e.g. `50% prepayment, 50% before shipment`.
        pub payment_terms: Option<String>,
        /// Delivery terms, e.g. `FCA Moscow (Incoterms 2020)`.
        pub delivery_terms: Option<String>,
        /// Production and delivery lead time, e.g. `15 working days`.
        pub lead_time: Option<String>,
    }
}

commercial_document! {
    /// Invoice for payment (счёт на оплату).
    pub struct Invoice {
        contract: Option<ContractRef>, "The contract, when there is one.";
        /// Pay by this date.
        pub due_date: Option<NaiveDate>,
        /// Payment reference the payer should quote.
        pub payment_purpose: Option<String>,
    }
}

commercial_document! {
    /// Packing list (упаковочный лист). The seller is the shipper, the buyer
    /// the consignee; every line needs `packages` and `gross_weight_kg`.
    pub struct PackingList {
        contract: Option<ContractRef>, "The contract, when there is one.";
        /// Number of the invoice this shipment belongs to.
        pub invoice_number: Option<String>,
        /// Delivery terms, e.g. `FCA Moscow (Incoterms 2020)`.
        pub delivery_terms: Option<String>,
        /// Means of transport, e.g. a truck's registration number.
        pub transport: Option<String>,
    }
}

/// What an act confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActSubject {
    /// Goods handed over: акт приёма-передачи товара.
    #[default]
    Goods,
    /// Services rendered or work done: акт оказанных услуг (выполненных работ).
    Services,
}

commercial_document! {
    /// Act (акт приёма-передачи товара / акт оказанных услуг) under a contract.
    pub struct Act {
        contract: Option<ContractRef>, "The contract (required: the act refers to it).";
        /// Goods or services (default goods).
        pub subject: ActSubject,
        /// Where the act was drawn up (city).
        pub place: Option<String>,
    }
}

commercial_document! {
    /// Specification (спецификация) to a contract.
    pub struct Specification {
        contract: Option<ContractRef>, "The contract (required: the specification is an annex to it).";
        /// Delivery terms, e.g. `FCA Moscow (Incoterms 2020)`.
        pub delivery_terms: Option<String>,
        /// Delivery time, e.g. `within 20 days of prepayment`.
        pub delivery_time: Option<String>,
        /// Delivery address.
        pub delivery_address: Option<String>,
        /// Payment terms.
        pub payment_terms: Option<String>,
    }
}

/// Who pays for the carriage (CMR box 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CarriagePayment {
    /// Carriage paid by the sender (франко).
    #[default]
    Paid,
    /// Carriage forward, paid by the consignee (нефранко).
    Forward,
}

/// International consignment note (CMR).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cmr {
    /// Number of the consignment note.
    pub number: String,
    /// Date the note was made out (box 21).
    pub date: NaiveDate,
    /// Box 1: sender.
    pub sender: Party,
    /// Box 2: consignee.
    pub consignee: Party,
    /// Box 3: place of delivery of the goods (place, country).
    pub place_of_delivery: String,
    /// Box 4: place of taking over the goods (place, country).
    pub taking_over_place: String,
    /// Box 4: date of taking over the goods.
    pub taking_over_date: NaiveDate,
    /// Box 5: documents attached.
    #[serde(default)]
    pub documents_attached: Vec<String>,
    /// Boxes 6–12: the goods; every line needs `packages` and `gross_weight_kg`.
    pub items: Vec<LineItem>,
    /// Box 13: sender's instructions (customs and other formalities).
    #[serde(default)]
    pub sender_instructions: Option<String>,
    /// Box 14: directions as to payment for carriage.
    #[serde(default)]
    pub payment: CarriagePayment,
    /// Box 15: cash on delivery.
    #[serde(default)]
    pub cash_on_delivery: Option<String>,
    /// Box 16: carrier.
    pub carrier: Party,
    /// Box 16: registration numbers of the vehicle and trailer.
    #[serde(default)]
    pub vehicle: Option<String>,
    /// Box 17: successive carriers.
    #[serde(default)]
    pub successive_carriers: Option<String>,
    /// Box 18: carrier's reservations and observations.
    #[serde(default)]
    pub reservations: Option<String>,
    /// Box 19: special agreements.
    #[serde(default)]
    pub special_agreements: Option<String>,
    /// Box 20: carriage charges, free text (e.g. `EUR 1 200.00, paid by the sender`).
    #[serde(default)]
    pub charges: Option<String>,
    /// Box 21: place where the note was made out.
    pub established_in: String,
}
