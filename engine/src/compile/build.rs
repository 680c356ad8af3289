//! The semantic pass: from a schema-valid `ProcedureSpec` to a `Procedure`, reporting every
//! problem the schema cannot see (references, budgets, rules, dates).

use super::CompileContext;
use super::forms::{compile_schema, declares, sibling_fields};
use super::references::form_references;
use super::report::Report;
use super::scalar::scalar_style;
use crate::calendar::{ProcessingTime, WorkingDays, WorkingHours};
use crate::codes::{AgencyCode, ProcedureCode, Role};
use crate::definition::Position;
use crate::definition::spec::{Channel, OnlineLevel, ProcedureSpec, ProcessingTimeSpec};
use crate::diagnostic::Code;
use crate::procedure::{Document, Fee, FeeAmount, Form, Procedure, Step};
use crate::rules::{Rule, RuleKind, RuleSite};
use chrono::{NaiveDate, NaiveTime};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;

pub(crate) struct Builder<'a, 'r> {
    pub ctx: &'a CompileContext,
    pub text: &'a str,
    pub report: &'a mut Report<'r>,
}

impl Builder<'_, '_> {
    pub fn build(&mut self, spec: ProcedureSpec) -> Option<Procedure> {
        let code = self.parse::<ProcedureCode>("/code", &spec.code, Code::InvalidValue);
        let agency = self.parse::<AgencyCode>("/agency", &spec.agency, Code::InvalidValue);
        let valid_from = self.date("/valid_from", &spec.valid_from);
        let valid_to = spec.valid_to.as_deref().and_then(|d| self.date("/valid_to", d));
        if let (Some(from), Some(to)) = (valid_from, valid_to)
            && to < from
        {
            self.report.error(
                "/valid_to",
                Code::InvalidDate,
                format!("`valid_to` {to} is before `valid_from` {from}"),
                None,
            );
        }
        self.check_channels(&spec);
        let (processing_time, statutory_time) = self.processing_time(&spec.processing_time).unzip();
        let statutory_time = statutory_time.flatten();
        self.unique_ids("/forms", spec.forms.iter().map(|f| f.id.as_str()));
        self.unique_ids("/documents", spec.documents.iter().map(|d| d.id.as_str()));
        self.unique_ids("/steps", spec.steps.iter().map(|s| s.id.as_str()));
        let forms = self.forms(&spec);
        let documents = self.documents(&spec, &forms);
        let fee = self.fee(&spec, &forms);
        let eligibility =
            spec.eligibility.as_deref().and_then(|text| self.rule("/eligibility", RuleKind::Eligibility, text, &forms));
        let time_rule = spec
            .processing_time
            .rule
            .as_deref()
            .and_then(|text| self.rule("/processing_time/rule", RuleKind::Time, text, &forms));
        let steps = self.steps(&spec, agency.as_ref());
        let decision_step = self.decision_step(&spec);
        if let Some(committed) = &processing_time {
            self.check_budget(&spec, committed);
        }
        let examples = spec
            .examples
            .iter()
            .enumerate()
            .map(|(i, e)| (e.clone(), self.report.locate(&format!("/examples/{i}")).line))
            .collect();
        if self.report.has_errors() {
            return None;
        }
        Some(Procedure {
            code: code?,
            name: spec.name,
            field: spec.field,
            field_name: spec.field_name,
            agency: agency?,
            agency_name: spec.agency_name,
            level: spec.level,
            version: spec.version,
            legal_basis: spec.legal_basis,
            published_by: spec.published_by,
            valid_from: valid_from?,
            valid_to,
            online_level: spec.online_level,
            channels: spec.channels,
            channel_note: spec.channel_note,
            auto_accept_online: spec.auto_accept_online,
            centralised_system: spec.centralised_system,
            processing_time: processing_time?,
            statutory_time,
            time_rule,
            forms,
            documents: documents?,
            fee: fee?,
            eligibility,
            steps: steps?,
            decision_step,
            result: spec.result,
            examples,
            source: self.report.file.to_owned(),
            calendar: self.ctx.calendar.clone(),
            sandbox: self.ctx.sandbox.clone(),
        })
    }

    fn parse<T: std::str::FromStr>(&mut self, pointer: &str, text: &str, code: Code) -> Option<T>
    where
        T::Err: std::fmt::Display,
    {
        text.parse::<T>().map_err(|e| self.report.error(pointer, code, e.to_string(), None)).ok()
    }

    fn date(&mut self, pointer: &str, text: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| {
                self.report.error(
                    pointer,
                    Code::InvalidDate,
                    format!("`{text}` is not a calendar date"),
                    "write it as YYYY-MM-DD".to_owned(),
                )
            })
            .ok()
    }

    fn check_channels(&mut self, spec: &ProcedureSpec) {
        let online = spec.channels.contains(&Channel::Online);
        if spec.online_level == OnlineLevel::Full && !online {
            self.report.error(
                "/channels",
                Code::FullOnlineWithoutOnlineChannel,
                "a full-online procedure (`online_level: full`) must accept the `online` channel".to_owned(),
                "add `online` to `channels`, or set `online_level: partial`".to_owned(),
            );
        }
        if spec.online_level == OnlineLevel::Info && spec.channels.contains(&Channel::Online) {
            self.report.warning(
                "/online_level",
                Code::InfoLevelAcceptsDossiers,
                "an information-only procedure accepts online dossiers".to_owned(),
                "use `online_level: partial` or `full` for a procedure filed online".to_owned(),
            );
        }
    }

    fn working_days(&mut self, pointer: &str, value: f64) -> Option<WorkingDays> {
        WorkingDays::try_from(value)
            .map_err(|e| self.report.error(pointer, Code::InvalidProcessingTime, e.to_string(), None))
            .ok()
    }

    fn working_hours(&mut self, pointer: &str, value: f64) -> Option<WorkingHours> {
        WorkingHours::try_from(value)
            .map_err(|e| self.report.error(pointer, Code::InvalidProcessingTime, e.to_string(), None))
            .ok()
    }

    /// The committed time and, when given, the statutory one (which must not be shorter).
    fn processing_time(&mut self, spec: &ProcessingTimeSpec) -> Option<(ProcessingTime, Option<ProcessingTime>)> {
        let pointer = "/processing_time";
        let over = |committed: f64, statutory: Option<f64>| statutory.is_some_and(|s| committed > s);
        let (committed, statutory, is_over) = if let Some(days) = spec.working_days {
            let committed = ProcessingTime::WorkingDays(self.working_days(&format!("{pointer}/working_days"), days)?);
            let statutory = match spec.statutory_working_days {
                Some(s) => Some(ProcessingTime::WorkingDays(
                    self.working_days(&format!("{pointer}/statutory_working_days"), s)?,
                )),
                None => None,
            };
            (committed, statutory, over(days, spec.statutory_working_days))
        } else if let Some(hours) = spec.working_hours {
            let committed =
                ProcessingTime::WorkingHours(self.working_hours(&format!("{pointer}/working_hours"), hours)?);
            let statutory = match spec.statutory_working_hours {
                Some(s) => Some(ProcessingTime::WorkingHours(
                    self.working_hours(&format!("{pointer}/statutory_working_hours"), s)?,
                )),
                None => None,
            };
            (committed, statutory, over(hours, spec.statutory_working_hours))
        } else if let Some(days) = spec.calendar_days {
            let statutory = spec.statutory_calendar_days.map(ProcessingTime::CalendarDays);
            (
                ProcessingTime::CalendarDays(days),
                statutory,
                over(f64::from(days), spec.statutory_calendar_days.map(f64::from)),
            )
        } else {
            let cutoff = spec.same_day.as_ref()?.cutoff.as_str();
            let Ok(cutoff) = NaiveTime::parse_from_str(cutoff, "%H:%M") else {
                self.report.error(
                    &format!("{pointer}/same_day/cutoff"),
                    Code::InvalidProcessingTime,
                    format!("`{cutoff}` is not a time of day"),
                    "write it as HH:MM, e.g. 15:00".to_owned(),
                );
                return None;
            };
            (ProcessingTime::SameDay { cutoff }, None, false)
        };
        if is_over {
            self.report.error(
                pointer,
                Code::CommittedOverStatutory,
                "the committed processing time is longer than the statutory one".to_owned(),
                "a city may cut the statutory time, never extend it".to_owned(),
            );
        }
        Some((committed, statutory))
    }

    fn unique_ids<'i>(&mut self, pointer: &str, ids: impl Iterator<Item = &'i str>) {
        let mut seen = HashSet::new();
        for (i, id) in ids.enumerate() {
            if !seen.insert(id) {
                self.report.error(
                    &format!("{pointer}/{i}/id"),
                    Code::DuplicateId,
                    format!("id `{id}` is used twice in `{}`", &pointer[1..]),
                    "give each one its own id".to_owned(),
                );
            }
        }
    }

    fn forms(&mut self, spec: &ProcedureSpec) -> Vec<Form> {
        let mut forms = Vec::new();
        for (i, form) in spec.forms.iter().enumerate() {
            let pointer = format!("/forms/{i}/schema");
            let (schema_ref, schema) = match &form.schema {
                Value::String(path) => match self.load_schema(&pointer, path) {
                    Some(schema) => (path.clone(), schema),
                    None => continue,
                },
                inline => ("inline".to_owned(), inline.clone()),
            };
            match compile_schema(&schema) {
                Ok(validator) => forms.push(Form {
                    id: form.id.clone(),
                    title: form.title.clone(),
                    schema_ref,
                    schema: Arc::new(schema),
                    validator: Arc::new(validator),
                }),
                Err(e) => self.report.error(
                    &pointer,
                    Code::FormSchemaInvalid,
                    format!("form schema `{schema_ref}` does not compile: {e}"),
                    "fix the schema (JSON Schema 2020-12)".to_owned(),
                ),
            }
        }
        forms
    }

    fn load_schema(&mut self, pointer: &str, path: &str) -> Option<Value> {
        let text = match self.ctx.schemas.load(path) {
            Ok(text) => text,
            Err(e) => {
                self.report.error(
                    pointer,
                    Code::FormSchemaNotFound,
                    e.to_string(),
                    "form schemas live under schemas/, named like `forms/x.schema.json`".to_owned(),
                );
                return None;
            }
        };
        match serde_json::from_str(&text) {
            Ok(schema) => Some(schema),
            Err(e) => {
                // The problem is in the schema's own file: point there.
                let at = Position {
                    line: u32::try_from(e.line()).unwrap_or(1),
                    column: u32::try_from(e.column()).unwrap_or(1),
                };
                let file = self.ctx.schemas.display(path);
                let message = format!("form schema `{path}` is not valid JSON: {e}");
                self.report.error(
                    pointer,
                    Code::FormSchemaInvalid,
                    message.clone(),
                    format!("see {file}:{}:{}", at.line, at.column),
                );
                None
            }
        }
    }

    fn site(&self, pointer: &str) -> RuleSite {
        let (at, style) = scalar_style(self.text, self.report.locate(pointer));
        RuleSite { pointer: pointer.to_owned(), at, style }
    }

    fn rule(&mut self, pointer: &str, kind: RuleKind, text: &str, forms: &[Form]) -> Option<Rule> {
        let site = self.site(pointer);
        for reference in form_references(text) {
            let at = site.map(rhai::Position::new(
                u16::try_from(reference.line).unwrap_or(u16::MAX),
                u16::try_from(reference.column).unwrap_or(u16::MAX),
            ));
            let Some((form_id, fields)) = reference.path.split_first() else { continue };
            match forms.iter().find(|f| &f.id == form_id) {
                None if !self.declared_form(form_id) => self.report.error_at(
                    at,
                    pointer,
                    Code::UnknownForm,
                    format!("the rule reads `form.{}` but no form has id `{form_id}`", reference.path.join(".")),
                    format!(
                        "{}declared forms: {}",
                        super::suggest::did_you_mean(form_id, forms.iter().map(|f| f.id.as_str())),
                        self.form_ids()
                    ),
                ),
                Some(form) if declares(&form.schema, fields) == Some(false) => self.report.error_at(
                    at,
                    pointer,
                    Code::UnknownFormField,
                    format!(
                        "the rule reads `form.{}` but form `{form_id}` ({}) declares no such field",
                        reference.path.join("."),
                        form.schema_ref
                    ),
                    format!(
                        "{}check the field name against the form's schema",
                        super::suggest::did_you_mean(
                            fields.last().map_or("", String::as_str),
                            sibling_fields(&form.schema, fields).iter().map(String::as_str)
                        )
                    ),
                ),
                _ => {}
            }
        }
        match Rule::compile(&self.ctx.rules, kind, text, site) {
            Ok(rule) => Some(rule),
            Err((at, message)) => {
                self.report.error_at(
                    at,
                    pointer,
                    Code::RuleSyntax,
                    format!("rule does not parse: {message}"),
                    "rules are rhai scripts; the inputs are `form`, `channel`, `today` and `documents`".to_owned(),
                );
                None
            }
        }
    }

    fn declared_form(&self, id: &str) -> bool {
        self.report.root.and_then(|r| r.child("forms")).is_some_and(|forms| match &forms.value {
            crate::definition::located::NodeValue::Seq(items) => {
                items.iter().any(|f| f.child("id").and_then(|n| n.as_str()) == Some(id))
            }
            _ => false,
        })
    }

    fn form_ids(&self) -> String {
        let ids: Vec<String> = self
            .report
            .root
            .and_then(|r| r.child("forms"))
            .map(|forms| match &forms.value {
                crate::definition::located::NodeValue::Seq(items) => {
                    items.iter().filter_map(|f| f.child("id")?.as_str().map(|s| format!("`{s}`"))).collect()
                }
                _ => Vec::new(),
            })
            .unwrap_or_default();
        if ids.is_empty() { "none".to_owned() } else { ids.join(", ") }
    }

    fn documents(&mut self, spec: &ProcedureSpec, forms: &[Form]) -> Option<Vec<Document>> {
        let mut documents = Vec::new();
        let mut ok = true;
        for (i, d) in spec.documents.iter().enumerate() {
            let condition = d.required_when.as_ref().and_then(|text| {
                let rule = self.rule(&format!("/documents/{i}/required_when"), RuleKind::Condition, text, forms);
                ok &= rule.is_some();
                rule
            });
            let condition_text = d
                .condition_text
                .clone()
                .or_else(|| d.required_when.as_deref().and_then(|rule| super::plain_words::plain_words(rule, forms)));
            documents.push(Document {
                id: d.id.clone(),
                title: d.title.clone(),
                kind: d.kind,
                copies: d.copies.unwrap_or(1),
                optional: d.optional,
                condition,
                condition_text,
                files: d.files.as_ref().map(crate::files::FilesSpec::rules),
            });
        }
        ok.then_some(documents)
    }

    fn fee(&mut self, spec: &ProcedureSpec, forms: &[Form]) -> Option<Fee> {
        let Some(fee) = &spec.fee else {
            return Some(Fee { name: None, basis: None, amount: FeeAmount::Fixed(0) });
        };
        let amount = match (&fee.rule, fee.amount) {
            (Some(text), _) => FeeAmount::Rule(self.rule("/fee/rule", RuleKind::Fee, text, forms)?),
            (None, amount) => FeeAmount::Fixed(amount.unwrap_or(0)),
        };
        Some(Fee { name: fee.name.clone(), basis: fee.basis.clone(), amount })
    }

    fn steps(&mut self, spec: &ProcedureSpec, owner: Option<&AgencyCode>) -> Option<Vec<Step>> {
        let mut steps = Vec::new();
        let mut ok = true;
        for (i, s) in spec.steps.iter().enumerate() {
            let role = s.role.parse::<Role>().ok();
            if role.is_none() {
                let (message, help) = super::suggest::unknown_role(&s.role);
                self.report.error(&format!("/steps/{i}/role"), Code::UnknownRole, message, help);
            }
            let agency = self.parse::<AgencyCode>(&format!("/steps/{i}/agency"), &s.agency, Code::InvalidValue);
            if let (Some(agency), Some(owner)) = (&agency, owner)
                && !s.inter_agency
                && !agency.is_within(owner)
            {
                self.report.error(
                    &format!("/steps/{i}/agency"),
                    Code::StepAgencyOutside,
                    format!("step `{}` is assigned to `{agency}`, which is not a unit of the owning agency `{owner}`", s.id),
                    "mark the step `inter_agency: true` (một cửa liên thông) or assign it to a unit of the owning agency".to_owned(),
                );
            }
            let budget = self.working_days(&format!("/steps/{i}/working_days"), s.working_days);
            match (role, agency, budget) {
                (Some(role), Some(agency), Some(budget)) => steps.push(Step {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    role,
                    agency,
                    budget,
                    inter_agency: s.inter_agency,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(steps)
    }

    /// The step flagged `decides`, else the last leader's step, else the last step.
    fn decision_step(&mut self, spec: &ProcedureSpec) -> usize {
        let flagged: Vec<usize> = spec.steps.iter().enumerate().filter(|(_, s)| s.decides).map(|(i, _)| i).collect();
        if let [_, second, ..] = flagged.as_slice() {
            self.report.error(
                &format!("/steps/{second}/decides"),
                Code::MultipleDecisionSteps,
                "more than one step has `decides: true`".to_owned(),
                "the decision is taken at exactly one step".to_owned(),
            );
        }
        flagged
            .first()
            .copied()
            .or_else(|| spec.steps.iter().rposition(|s| s.role == Role::Leader.as_str()))
            .unwrap_or(spec.steps.len().saturating_sub(1))
    }

    /// Step budgets must fit in the committed time (provinces configure them exactly as
    /// published, DOMAIN.md "A procedure").
    fn check_budget(&mut self, spec: &ProcedureSpec, committed: &ProcessingTime) {
        let day_minutes = self.ctx.calendar.working_day_minutes();
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
        let committed_days = match committed {
            ProcessingTime::WorkingDays(d) => f64::from(*d),
            ProcessingTime::WorkingHours(h) => f64::from(h.minutes()) / day_minutes as f64,
            // Calendar-day times have no working-day budget to compare with.
            ProcessingTime::CalendarDays(_) => return,
            ProcessingTime::SameDay { .. } => 1.0,
        };
        let total: f64 = spec.steps.iter().map(|s| s.working_days).sum();
        if total > committed_days + 1e-9 {
            let parts: Vec<String> = spec.steps.iter().map(|s| format!("{} {}", s.id, s.working_days)).collect();
            self.report.error(
                "/steps",
                Code::StepsOverBudget,
                format!(
                    "step budgets add up to {total} working days, more than the committed {committed_days} ({})",
                    parts.join(" + ")
                ),
                "cut the step budgets so they fit in `processing_time`".to_owned(),
            );
        }
    }
}
