//! `voronka simulate DEFINITION SCENARIO`: the timeline of effects of a scripted scenario.
//!
//! A scenario is JSON: either a list of steps or `{ "users": {id: name}, "until": time,
//! "steps": [...] }`. A step is
//!
//! ```json
//! { "at": "2026-11-30T09:00:00Z", "record": "lead", "actor": { "user": "u-anna", "roles": ["manager"] },
//!   "command": { "type": "move", "to": "cold_call" }, "expect": "rejected" }
//! ```
//!
//! `command` is a core action in its JSON form; `record` names the record it applies to (a
//! `create` or `capture_lead` starts a new record under that name; the records a conversion
//! creates are registered under their ids); a task id written `@code` means the record's
//! open task of that code. `expect: "rejected"` marks a step that should be refused.
//! Before each step every record whose timers are due by the step's time is ticked, earliest
//! first, so timers fire in the timeline; `until` ticks on after the last step.
//!
//! Output: one line per effect, stage change, fired timer or rejection:
//! `TIME  RECORD  DESCRIPTION`. Exit 1 when a step not marked `expect: "rejected"` is
//! rejected (or a marked one is accepted).

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use voronka::{Action, Actor, Lang, Model};

use crate::host::{Applied, Host, Names, SYSTEM};
use crate::{Failure, io};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Full {
    #[serde(default)]
    users: BTreeMap<String, String>,
    #[serde(default)]
    until: Option<DateTime<Utc>>,
    steps: Vec<Step>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    at: DateTime<Utc>,
    record: String,
    #[serde(default)]
    actor: Option<Actor>,
    command: Action,
    #[serde(default)]
    expect: Option<Expectation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Expectation {
    Accepted,
    Rejected,
}

/// Runs the scenario `text` against the definition `definition`.
pub(crate) fn run(
    definition: &str,
    text: &str,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let model = Model::from_json(definition).map_err(|e| {
        Failure::Usage(match lang {
            Lang::En => format!("the definition does not load: {e}"),
            Lang::Ru => format!("определение не загружается: {e}"),
        })
    })?;
    let invalid = |path: String, message: String| {
        Failure::Usage(match lang {
            Lang::En => format!("the scenario is not valid at `{path}`: {message}"),
            Lang::Ru => format!("сценарий неверен в `{path}`: {message}"),
        })
    };
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| invalid(".".into(), e.to_string()))?;
    let full: Full = if value.is_array() {
        serde_path_to_error::deserialize(value).map(|steps| Full {
            users: BTreeMap::new(),
            until: None,
            steps,
        })
    } else {
        serde_path_to_error::deserialize(value)
    }
    .map_err(|e| invalid(e.path().to_string(), e.inner().to_string()))?;
    let Full {
        users,
        until,
        steps,
    } = full;
    let Some(first) = steps.first() else {
        return Ok(());
    };
    let names = Names {
        model: &model,
        lang,
        users,
    };
    let mut host = Host::new(&model, first.at);
    let mut off_script = 0;
    let mut last = first.at;
    for (i, step) in steps.iter().enumerate() {
        if step.at < last {
            return Err(Failure::Usage(match lang {
                Lang::En => format!("step {} is earlier than the step before it", i + 1),
                Lang::Ru => format!("шаг {} раньше предыдущего", i + 1),
            }));
        }
        last = step.at;
        for ticked in host.tick_until(step.at) {
            print(&names, &ticked, out)?;
        }
        let actor = step
            .actor
            .clone()
            .unwrap_or_else(|| Actor::new(SYSTEM, &[]));
        let applied = host.apply(
            &step.record,
            actor,
            step.at,
            Some(format!("step-{}", i + 1)),
            step.command.clone(),
        );
        let expected = step.expect.unwrap_or(Expectation::Accepted);
        if (expected == Expectation::Rejected) != applied.result.is_err() {
            off_script += 1;
            if applied.result.is_ok() {
                let line = format!(
                    "{}  {}  ✗ {}",
                    time(applied.at),
                    applied.name,
                    lang.pick(
                        "accepted, but the scenario expected a rejection",
                        "принято, хотя сценарий ожидал отказ"
                    )
                );
                io(writeln!(out, "{line}"))?;
            }
        }
        print(&names, &applied, out)?;
    }
    if let Some(until) = until {
        for ticked in host.tick_until(until) {
            print(&names, &ticked, out)?;
        }
    }
    if off_script > 0 {
        eprintln!(
            "{}",
            match lang {
                Lang::En => format!("voronka simulate: {off_script} step(s) went off script"),
                Lang::Ru => format!("voronka simulate: шагов не по сценарию: {off_script}"),
            }
        );
        return Err(Failure::Problems);
    }
    Ok(())
}

fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn print(names: &Names<'_>, applied: &Applied, out: &mut dyn Write) -> Result<(), Failure> {
    match &applied.result {
        Ok(outcome) => {
            for (id, line) in names.outcome(outcome) {
                let name = if id == outcome.record.id || id.is_empty() {
                    &applied.name
                } else {
                    &id
                };
                io(writeln!(out, "{}  {name}  {line}", time(applied.at)))?;
            }
        }
        Err(rejection) => io(writeln!(
            out,
            "{}  {}  ✗ {} [{}]: {}",
            time(applied.at),
            applied.name,
            names.lang.pick("rejected", "отказ"),
            rejection.code().as_u32(),
            rejection.message(names.lang)
        ))?,
    }
    Ok(())
}
