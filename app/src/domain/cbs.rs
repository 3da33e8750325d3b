//! CBS area codes and the neighbourhood lists CBS publishes.
//!
//! Statistics Netherlands (CBS) numbers every municipality (`GM` + 4
//! digits), every district within it (*wijk*: `WK` + the municipality's 4
//! digits + 2) and every neighbourhood within a district (*buurt*: `BU` +
//! the district's 6 + 2). The last positions are normally digits but may be
//! letters in large municipalities. A werkplaats interviews per wijk or per
//! buurt; both are a "neighbourhood" in Wijkverhalen.
//!
//! [`read_cbs_csv`] reads such a list as CBS publishes it — semicolon-separated
//! with a header row, in any of its layouts (the *Wijk- en buurtkaart*
//! columns `WK_CODE;WK_NAAM;…`, the *Kerncijfers* columns
//! `gwb_code_10;regio;…`, or a plain `code;naam`) — keeping the rows of one
//! municipality at one level and reporting every bad line with its number.
//! [`plan_import`] then decides, against what the municipality already has,
//! what to create, rename or give a code. Both are pure: the server applies
//! the plan in one transaction, or nothing at all when any line is bad.

use super::groups::LineProblem;
use super::ids::NeighbourhoodId;
use super::text::{AreaName, Field, FieldProblem};
use super::Message;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The level of a CBS area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CbsLevel {
    /// A municipality (`GM1883`).
    Municipality,
    /// A district, *wijk* (`WK188301`).
    District,
    /// A neighbourhood, *buurt* (`BU18830101`).
    Neighbourhood,
}

impl CbsLevel {
    /// The code's prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            CbsLevel::Municipality => "GM",
            CbsLevel::District => "WK",
            CbsLevel::Neighbourhood => "BU",
        }
    }

    /// How many characters follow the prefix.
    fn digits(self) -> usize {
        match self {
            CbsLevel::Municipality => 4,
            CbsLevel::District => 6,
            CbsLevel::Neighbourhood => 8,
        }
    }

    /// Reads a form value: `wijk` or `buurt`.
    pub fn parse_area_level(s: &str) -> Option<CbsLevel> {
        match s.trim() {
            "wijk" | "district" => Some(CbsLevel::District),
            "buurt" | "neighbourhood" => Some(CbsLevel::Neighbourhood),
            _ => None,
        }
    }

    /// The form value of a neighbourhood level (see [`Self::parse_area_level`]).
    pub fn form_value(self) -> &'static str {
        match self {
            CbsLevel::Municipality => "gemeente",
            CbsLevel::District => "wijk",
            CbsLevel::Neighbourhood => "buurt",
        }
    }

    /// "wijken" / "districts", for messages.
    fn plural(self) -> (&'static str, &'static str) {
        match self {
            CbsLevel::Municipality => ("gemeenten", "municipalities"),
            CbsLevel::District => ("wijken", "districts"),
            CbsLevel::Neighbourhood => ("buurten", "neighbourhoods"),
        }
    }
}

/// A CBS area code, upper-case and well-formed by construction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CbsCode {
    level: CbsLevel,
    code: String,
}

impl CbsCode {
    /// Parses a code as people type or CBS files spell it (`gm1883`,
    /// `WK188301  `): trimmed, upper-cased, then checked.
    pub fn parse(text: &str) -> Result<CbsCode, Message> {
        let code = text.trim().to_ascii_uppercase();
        let level = match code.get(..2) {
            Some("GM") => CbsLevel::Municipality,
            Some("WK") => CbsLevel::District,
            Some("BU") => CbsLevel::Neighbourhood,
            _ => {
                return Err(Message::new(
                    format!(
                        "‘{}’ is geen CBS-code: die begint met GM (gemeente), WK (wijk) of BU (buurt), bijvoorbeeld GM1883 of WK188301.",
                        shown(text)
                    ),
                    format!(
                        "‘{}’ is not a CBS code: it starts with GM (municipality), WK (district) or BU (neighbourhood), e.g. GM1883 or WK188301.",
                        shown(text)
                    ),
                ))
            }
        };
        let rest = &code[2..];
        let municipality_digits = rest.get(..4).unwrap_or("");
        let well_formed = rest.len() == level.digits()
            && municipality_digits.bytes().all(|b| b.is_ascii_digit())
            && rest.bytes().all(|b| b.is_ascii_alphanumeric());
        if !well_formed {
            let example = match level {
                CbsLevel::Municipality => "GM1883",
                CbsLevel::District => "WK188301",
                CbsLevel::Neighbourhood => "BU18830101",
            };
            return Err(Message::new(
                format!(
                    "‘{}’ is geen geldige CBS-code: na {} komen {} tekens, de eerste vier cijfers (de gemeentecode), zoals in {example}.",
                    shown(text),
                    level.prefix(),
                    level.digits()
                ),
                format!(
                    "‘{}’ is not a valid CBS code: {} is followed by {} characters, the first four digits (the municipality code), as in {example}.",
                    shown(text),
                    level.prefix(),
                    level.digits()
                ),
            ));
        }
        Ok(CbsCode { level, code })
    }

    /// Parses a code that must be of `level`.
    pub fn parse_at(text: &str, level: CbsLevel) -> Result<CbsCode, Message> {
        let code = CbsCode::parse(text)?;
        if code.level != level {
            return Err(Message::new(
                format!(
                    "{} is een code van een {}, hier hoort een code die met {} begint.",
                    code.code,
                    singular(code.level).0,
                    level.prefix()
                ),
                format!(
                    "{} is the code of a {}; a code starting with {} belongs here.",
                    code.code,
                    singular(code.level).1,
                    level.prefix()
                ),
            ));
        }
        Ok(code)
    }

    /// The level.
    pub fn level(&self) -> CbsLevel {
        self.level
    }

    /// The code, e.g. `WK188301`.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// The municipality's four digits (`1883`).
    pub fn municipality_digits(&self) -> &str {
        &self.code[2..6]
    }

    /// Whether this wijk or buurt lies in `municipality` (a `GM` code).
    pub fn lies_in(&self, municipality: &CbsCode) -> bool {
        municipality.level == CbsLevel::Municipality
            && self.municipality_digits() == municipality.municipality_digits()
    }
}

impl std::fmt::Display for CbsCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code)
    }
}

impl TryFrom<String> for CbsCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        CbsCode::parse(&s).map_err(|m| m.en.to_string())
    }
}

impl From<CbsCode> for String {
    fn from(c: CbsCode) -> String {
        c.code
    }
}

fn singular(level: CbsLevel) -> (&'static str, &'static str) {
    match level {
        CbsLevel::Municipality => ("gemeente", "municipality"),
        CbsLevel::District => ("wijk", "district"),
        CbsLevel::Neighbourhood => ("buurt", "neighbourhood"),
    }
}

/// User text inside a message: one line, at most 40 characters.
fn shown(text: &str) -> String {
    let one_line: String = text
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() > 40 {
        let cut: String = one_line.chars().take(39).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

/// A neighbourhood's CBS code as typed in a form: empty means none; else
/// it must be a wijk or buurt code of `municipality` (when that has one).
pub fn neighbourhood_code(
    text: &str,
    municipality: Option<&CbsCode>,
) -> Result<Option<CbsCode>, Message> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let code = CbsCode::parse(text)?;
    if code.level == CbsLevel::Municipality {
        return Err(Message::new(
            format!(
                "{code} is de code van een gemeente. Een wijk heeft een code met WK, een buurt een code met BU."
            ),
            format!(
                "{code} is a municipality's code. A district has a code starting with WK, a neighbourhood one with BU."
            ),
        ));
    }
    if let Some(m) = municipality {
        if !code.lies_in(m) {
            return Err(other_municipality(&code, m));
        }
    }
    Ok(Some(code))
}

fn other_municipality(code: &CbsCode, municipality: &CbsCode) -> Message {
    Message::new(
        format!(
            "{code} ligt niet in deze gemeente: de codes van {municipality} beginnen met {}{}.",
            code.level.prefix(),
            municipality.municipality_digits()
        ),
        format!(
            "{code} is not in this municipality: the codes of {municipality} start with {}{}.",
            code.level.prefix(),
            municipality.municipality_digits()
        ),
    )
}

/// One wijk or buurt read from a CBS list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CbsRow {
    /// The 1-based line in the file.
    pub line: usize,
    /// Its code.
    pub code: CbsCode,
    /// Its name.
    pub name: AreaName,
}

/// The rows of one municipality and level read from a CBS list, and how
/// many other rows were passed over.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CbsList {
    /// The rows to import, in file order, each code once.
    pub rows: Vec<CbsRow>,
    /// Rows of other municipalities (CBS publishes one national file).
    pub other_municipalities: usize,
    /// Rows of the municipality itself or of the other level.
    pub other_levels: usize,
}

/// Column names of the code, per level, in order of preference.
fn code_columns(level: CbsLevel) -> &'static [&'static str] {
    match level {
        CbsLevel::Neighbourhood => &[
            "bu_code",
            "buurtcode",
            "gwb_code_10",
            "gwb_code",
            "codering_3",
            "codering",
            "code",
            "cbs_code",
            "cbs-code",
        ],
        _ => &[
            "wk_code",
            "wijkcode",
            "gwb_code_10",
            "gwb_code",
            "codering_3",
            "codering",
            "code",
            "cbs_code",
            "cbs-code",
        ],
    }
}

/// Column names of the name, per level, in order of preference.
fn name_columns(level: CbsLevel) -> &'static [&'static str] {
    match level {
        CbsLevel::Neighbourhood => &[
            "bu_naam",
            "buurtnaam",
            "regio",
            "wijkenenbuurten",
            "naam",
            "name",
        ],
        _ => &[
            "wk_naam",
            "wijknaam",
            "regio",
            "wijkenenbuurten",
            "naam",
            "name",
        ],
    }
}

/// Splits one line at semicolons; a field in double quotes may hold
/// semicolons and `""` for a quote.
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' if quoted => quoted = false,
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            ';' if !quoted => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out
}

fn problem(line: usize, text: &str, message: Message) -> LineProblem {
    LineProblem {
        line,
        text: shown(text),
        message,
    }
}

/// Reads a CBS list: the wijken (or buurten, per `level`) of
/// `municipality`. Every bad line is reported, with its number and the
/// reason; rows of other municipalities and levels are counted and passed
/// over, so the national file works as well as an extract.
pub fn read_cbs_csv(
    text: &str,
    municipality: &CbsCode,
    level: CbsLevel,
) -> Result<CbsList, Vec<LineProblem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(vec![problem(
            1,
            "",
            Message::new(
                "Het bestand is leeg. Kies het CSV-bestand van het CBS met een kopregel en daaronder de wijken of buurten.",
                "The file is empty. Choose the CBS CSV file with a header row and the districts or neighbourhoods below it.",
            ),
        )]);
    };
    let columns: Vec<String> = fields(header)
        .into_iter()
        .map(|c| c.trim().to_ascii_lowercase())
        .collect();
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| columns.iter().position(|c| c == n))
    };
    if columns.len() < 2 {
        return Err(vec![problem(
            header_line,
            header,
            Message::new(
                "Dit lijkt geen CBS-lijst: de kopregel moet kolommen hebben die met puntkomma’s (;) gescheiden zijn, bijvoorbeeld ‘WK_CODE;WK_NAAM’.",
                "This does not look like a CBS list: the header row must have columns separated by semicolons (;), e.g. ‘WK_CODE;WK_NAAM’.",
            ),
        )]);
    }
    let (Some(code_at), Some(name_at)) = (find(code_columns(level)), find(name_columns(level)))
    else {
        let (nl, en) = match level {
            CbsLevel::Neighbourhood => ("BU_CODE en BU_NAAM", "BU_CODE and BU_NAAM"),
            _ => ("WK_CODE en WK_NAAM", "WK_CODE and WK_NAAM"),
        };
        return Err(vec![problem(
            header_line,
            header,
            Message::new(
                format!("De kopregel noemt geen kolom voor de code en de naam. Gebruik de kolomnamen van het CBS ({nl}, of gwb_code_10 en regio) of ‘code;naam’."),
                format!("The header row names no column for the code and the name. Use the CBS column names ({en}, or gwb_code_10 and regio) or ‘code;naam’."),
            ),
        )]);
    };
    let mut list = CbsList::default();
    let mut problems = Vec::new();
    let mut by_code: HashMap<String, (usize, String)> = HashMap::new();
    let mut by_name: HashMap<String, (usize, String)> = HashMap::new();
    for (line, raw) in lines {
        let cells = fields(raw);
        let (Some(code_text), Some(name_text)) = (cells.get(code_at), cells.get(name_at)) else {
            problems.push(problem(
                line,
                raw,
                Message::new(
                    format!(
                        "Te weinig kolommen: {} gevonden, de kopregel heeft er {}.",
                        cells.len(),
                        columns.len()
                    ),
                    format!(
                        "Too few columns: {} found, the header row has {}.",
                        cells.len(),
                        columns.len()
                    ),
                ),
            ));
            continue;
        };
        let code = match CbsCode::parse(code_text) {
            Ok(c) => c,
            Err(m) => {
                problems.push(problem(line, raw, m));
                continue;
            }
        };
        if code.municipality_digits() != municipality.municipality_digits() {
            list.other_municipalities += 1;
            continue;
        }
        if code.level != level {
            list.other_levels += 1;
            continue;
        }
        let name = match AreaName::parse(name_text) {
            Ok(n) => n,
            Err(p) => {
                problems.push(problem(line, raw, p.message));
                continue;
            }
        };
        if let Some((first, earlier)) = by_code.get(code.as_str()) {
            if earlier != name.as_str() {
                problems.push(problem(
                    line,
                    raw,
                    Message::new(
                        format!(
                            "{code} staat al op regel {first}, met een andere naam (‘{earlier}’)."
                        ),
                        format!(
                            "{code} is already on line {first}, with another name (‘{earlier}’)."
                        ),
                    ),
                ));
            }
            // The same area again (a buurt file lists its wijk per buurt).
            continue;
        }
        let key = name.as_str().to_lowercase();
        if let Some((first, other)) = by_name.get(&key) {
            problems.push(problem(
                line,
                raw,
                Message::new(
                    format!("De naam ‘{}’ staat al op regel {first} (code {other}); twee {} van één gemeente hebben verschillende namen nodig.", name.as_str(), level.plural().0),
                    format!("The name ‘{}’ is already on line {first} (code {other}); two {} of one municipality need different names.", name.as_str(), level.plural().1),
                ),
            ));
            continue;
        }
        by_code.insert(code.as_str().to_string(), (line, name.as_str().to_string()));
        by_name.insert(key, (line, code.as_str().to_string()));
        list.rows.push(CbsRow { line, code, name });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if list.rows.is_empty() {
        let (nl, en) = level.plural();
        return Err(vec![problem(
            header_line,
            header,
            Message::new(
                format!("Er staan geen {nl} van gemeente {municipality} in dit bestand ({} regels van andere gemeenten, {} van een ander niveau). Kies het bestand en het niveau (wijken of buurten) opnieuw.", list.other_municipalities, list.other_levels),
                format!("This file holds no {en} of municipality {municipality} ({} lines of other municipalities, {} of another level). Choose the file and the level (districts or neighbourhoods) again.", list.other_municipalities, list.other_levels),
            ),
        )]);
    }
    Ok(list)
}

/// A neighbourhood the municipality already has, as [`plan_import`] needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    /// Its id.
    pub id: NeighbourhoodId,
    /// Its name.
    pub name: String,
    /// Its CBS code, if it has one.
    pub code: Option<String>,
}

/// What importing one row does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportStep {
    /// A new neighbourhood.
    Create {
        /// Code.
        code: CbsCode,
        /// Name.
        name: AreaName,
    },
    /// An existing neighbourhood with this code gets the CBS name.
    Rename {
        /// Which.
        id: NeighbourhoodId,
        /// Its name until now.
        from: String,
        /// The name in the list.
        to: AreaName,
    },
    /// An existing neighbourhood of this name without a code gets it.
    SetCode {
        /// Which.
        id: NeighbourhoodId,
        /// Its name.
        name: String,
        /// The code in the list.
        code: CbsCode,
    },
    /// Already there with this code and name.
    Unchanged,
}

/// Matches the list against the municipality's neighbourhoods: by code
/// first, then a neighbourhood of the same name that has no code yet. A
/// name the list gives to a new code but that another neighbourhood already
/// carries (with another code) is a problem of that line.
pub fn plan_import(
    list: &CbsList,
    existing: &[Existing],
) -> Result<Vec<ImportStep>, Vec<LineProblem>> {
    let by_code: HashMap<&str, &Existing> = existing
        .iter()
        .filter_map(|e| e.code.as_deref().map(|c| (c, e)))
        .collect();
    let by_name: HashMap<String, &Existing> = existing
        .iter()
        .map(|e| (e.name.to_lowercase(), e))
        .collect();
    let listed: std::collections::HashSet<&str> =
        list.rows.iter().map(|r| r.code.as_str()).collect();
    let mut steps = Vec::with_capacity(list.rows.len());
    let mut problems = Vec::new();
    for row in &list.rows {
        let holder = by_name.get(&row.name.as_str().to_lowercase()).copied();
        let step = match by_code.get(row.code.as_str()) {
            Some(e) if e.name == row.name.as_str() => ImportStep::Unchanged,
            Some(e) => match holder {
                // Another neighbourhood has the name, and keeps it (its own
                // code is not renamed by this list).
                Some(h)
                    if h.id != e.id && !h.code.as_deref().is_some_and(|c| listed.contains(c)) =>
                {
                    problems.push(name_taken(row, h));
                    continue;
                }
                _ => ImportStep::Rename {
                    id: e.id,
                    from: e.name.clone(),
                    to: row.name.clone(),
                },
            },
            None => match holder {
                Some(h) if h.code.is_none() => ImportStep::SetCode {
                    id: h.id,
                    name: h.name.clone(),
                    code: row.code.clone(),
                },
                Some(h) => {
                    problems.push(name_taken(row, h));
                    continue;
                }
                None => ImportStep::Create {
                    code: row.code.clone(),
                    name: row.name.clone(),
                },
            },
        };
        steps.push(step);
    }
    if problems.is_empty() {
        Ok(steps)
    } else {
        Err(problems)
    }
}

fn name_taken(row: &CbsRow, holder: &Existing) -> LineProblem {
    let code = holder.code.as_deref().unwrap_or("-");
    LineProblem {
        line: row.line,
        text: format!("{};{}", row.code, row.name.as_str()),
        message: Message::new(
            format!(
                "De gemeente heeft al een wijk ‘{}’ met een andere CBS-code ({code}). Pas de naam of de code van die wijk eerst aan.",
                holder.name
            ),
            format!(
                "The municipality already has a neighbourhood ‘{}’ with another CBS code ({code}). Change that neighbourhood's name or code first.",
                holder.name
            ),
        ),
    }
}

/// A problem of a form's code field, for the field-level error display.
pub fn code_problem(message: Message) -> FieldProblem {
    FieldProblem {
        field: Field::CbsCode,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gm(code: &str) -> CbsCode {
        CbsCode::parse(code).unwrap()
    }

    #[test]
    fn codes_parse_at_each_level() {
        assert_eq!(gm("GM1883").level(), CbsLevel::Municipality);
        assert_eq!(gm(" wk188301 ").as_str(), "WK188301");
        assert_eq!(gm("BU18830101").level(), CbsLevel::Neighbourhood);
        // Letters are allowed after the municipality digits.
        assert_eq!(gm("WK03630A").municipality_digits(), "0363");
        assert!(gm("WK188301").lies_in(&gm("GM1883")));
        assert!(!gm("WK097101").lies_in(&gm("GM1883")));
    }

    #[test]
    fn malformed_codes_say_why() {
        for bad in [
            "",
            "1883",
            "GM188",
            "GM18830",
            "WK1883",
            "WK18830101",
            "BU188301",
            "GMAB12",
            "WK18-301",
            "XX188301",
            "GM１８８３",
        ] {
            let err = CbsCode::parse(bad).expect_err(bad);
            assert!(err.nl.contains("CBS-code"), "{bad}: {}", err.nl);
        }
        assert!(CbsCode::parse_at("WK188301", CbsLevel::Municipality).is_err());
        assert!(CbsCode::parse_at("GM1883", CbsLevel::Municipality).is_ok());
    }

    #[test]
    fn a_neighbourhood_code_is_optional_but_must_lie_in_the_municipality() {
        let sg = gm("GM1883");
        assert_eq!(neighbourhood_code("  ", Some(&sg)), Ok(None));
        assert!(neighbourhood_code("WK188301", Some(&sg)).unwrap().is_some());
        assert!(neighbourhood_code("BU18830101", Some(&sg))
            .unwrap()
            .is_some());
        let other = neighbourhood_code("WK097101", Some(&sg)).unwrap_err();
        assert!(
            other.nl.contains("ligt niet in deze gemeente"),
            "{}",
            other.nl
        );
        assert!(neighbourhood_code("GM1883", Some(&sg)).is_err());
        assert!(neighbourhood_code("WK097101", None).unwrap().is_some());
    }

    const KAART: &str = "\u{feff}WK_CODE;WK_NAAM;GM_CODE;GM_NAAM;WATER\r\n\
        WK188301;Wijk 01 Noord;GM1883;Sittard-Geleen;NEE\r\n\
        WK188302;\"Wijk 02; Zuid\";GM1883;Sittard-Geleen;NEE\r\n\
        WK097101;Wijk 01 Stein;GM0971;Stein;NEE\r\n\
        \r\n";

    #[test]
    fn reads_the_wijk_en_buurtkaart_layout_of_one_municipality() {
        let list = read_cbs_csv(KAART, &gm("GM1883"), CbsLevel::District).unwrap();
        let rows: Vec<(usize, &str, &str)> = list
            .rows
            .iter()
            .map(|r| (r.line, r.code.as_str(), r.name.as_str()))
            .collect();
        assert_eq!(
            rows,
            vec![
                (2, "WK188301", "Wijk 01 Noord"),
                (3, "WK188302", "Wijk 02; Zuid")
            ]
        );
        assert_eq!(list.other_municipalities, 1);
    }

    #[test]
    fn reads_the_kerncijfers_layout_with_padded_codes_and_mixed_levels() {
        let csv = "gwb_code_10;gwb_code_8;regio;gm_naam;recs\n\
            GM1883    ;1883;Sittard-Geleen;Sittard-Geleen;Gemeente\n\
            WK188300  ;188300;Wijk 00 Sittard;Sittard-Geleen;Wijk\n\
            BU18830000;18830000;Centrum;Sittard-Geleen;Buurt\n\
            BU18830001;18830001;Stadbroek;Sittard-Geleen;Buurt\n";
        let wijken = read_cbs_csv(csv, &gm("GM1883"), CbsLevel::District).unwrap();
        assert_eq!(wijken.rows.len(), 1);
        assert_eq!(wijken.rows[0].code.as_str(), "WK188300");
        assert_eq!(wijken.other_levels, 3);
        let buurten = read_cbs_csv(csv, &gm("GM1883"), CbsLevel::Neighbourhood).unwrap();
        assert_eq!(
            buurten
                .rows
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>(),
            vec!["Centrum", "Stadbroek"]
        );
    }

    #[test]
    fn a_buurt_file_read_for_its_wijken_lists_each_wijk_once() {
        let csv = "BU_CODE;BU_NAAM;WK_CODE;WK_NAAM\n\
            BU18830101;Buurt A;WK188301;Noord\n\
            BU18830102;Buurt B;WK188301;Noord\n\
            BU18830201;Buurt C;WK188302;Zuid\n";
        let list = read_cbs_csv(csv, &gm("GM1883"), CbsLevel::District).unwrap();
        assert_eq!(list.rows.len(), 2);
    }

    #[test]
    fn every_bad_line_comes_back_with_its_number_and_reason() {
        let csv = "code;naam\n\
            WK188301;Noord\n\
            WK18830;Kapot\n\
            WK188302\n\
            WK188301;Anders\n\
            WK188303;\n\
            WK188304;noord\n\
            BU1883;Buurt\n";
        let problems = read_cbs_csv(csv, &gm("GM1883"), CbsLevel::District).unwrap_err();
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7, 8]);
        assert!(problems[0].message.nl.contains("geen geldige CBS-code"));
        assert!(problems[1].message.nl.contains("Te weinig kolommen"));
        assert!(problems[2].message.nl.contains("staat al op regel 2"));
        assert!(problems[3].message.nl.contains("leeg"));
        assert!(problems[4].message.nl.contains("staat al op regel 2"));
    }

    #[test]
    fn a_file_without_a_usable_header_or_rows_is_refused_as_a_whole() {
        let sg = gm("GM1883");
        let empty = read_cbs_csv(" \n", &sg, CbsLevel::District).unwrap_err();
        assert!(empty[0].message.nl.contains("leeg"));
        let commas =
            read_cbs_csv("WK_CODE,WK_NAAM\nWK188301,Noord\n", &sg, CbsLevel::District).unwrap_err();
        assert!(commas[0].message.nl.contains("puntkomma"));
        let columns = read_cbs_csv("a;b\nWK188301;Noord\n", &sg, CbsLevel::District).unwrap_err();
        assert!(columns[0].message.nl.contains("kopregel noemt geen kolom"));
        let other = read_cbs_csv(KAART, &gm("GM0935"), CbsLevel::District).unwrap_err();
        assert!(other[0]
            .message
            .nl
            .contains("geen wijken van gemeente GM0935"));
    }

    fn existing(name: &str, code: Option<&str>) -> Existing {
        Existing {
            id: NeighbourhoodId::new(),
            name: name.into(),
            code: code.map(str::to_string),
        }
    }

    #[test]
    fn the_plan_creates_renames_and_links_by_name() {
        let csv =
            "code;naam\nWK188301;Limbricht\nWK188302;Ophoven\nWK188303;Born\nWK188304;Kollenberg\n";
        let list = read_cbs_csv(csv, &gm("GM1883"), CbsLevel::District).unwrap();
        let have = vec![
            existing("Limbricht", None),
            existing("Ophoven-Noord", Some("WK188302")),
            existing("Born", Some("WK188303")),
        ];
        let steps = plan_import(&list, &have).unwrap();
        assert!(matches!(&steps[0], ImportStep::SetCode { id, .. } if *id == have[0].id));
        assert!(
            matches!(&steps[1], ImportStep::Rename { id, to, .. } if *id == have[1].id && to.as_str() == "Ophoven")
        );
        assert_eq!(steps[2], ImportStep::Unchanged);
        assert!(
            matches!(&steps[3], ImportStep::Create { name, .. } if name.as_str() == "Kollenberg")
        );
    }

    #[test]
    fn a_name_held_by_a_neighbourhood_with_another_code_is_a_problem() {
        let csv = "code;naam\nWK188301;Born\n";
        let list = read_cbs_csv(csv, &gm("GM1883"), CbsLevel::District).unwrap();
        let problems = plan_import(&list, &[existing("Born", Some("WK188309"))]).unwrap_err();
        assert_eq!(problems[0].line, 2);
        assert!(problems[0].message.nl.contains("WK188309"));
        // Two areas swapping names in one list is fine.
        let swap = "code;naam\nWK188301;B\nWK188302;A\n";
        let list = read_cbs_csv(swap, &gm("GM1883"), CbsLevel::District).unwrap();
        let steps = plan_import(
            &list,
            &[
                existing("A", Some("WK188301")),
                existing("B", Some("WK188302")),
            ],
        )
        .unwrap();
        assert!(steps.iter().all(|s| matches!(s, ImportStep::Rename { .. })));
    }
}
