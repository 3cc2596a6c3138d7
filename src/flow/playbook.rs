//! The support playbook as data (`flows/playbook.toml`): each product
//! section's troubleshooting steps and the escalation criteria. Lint checks
//! flows against it so a tree stays traceable to the playbook.

use super::diag::Diags;
use super::session::Tier;
use serde::Deserialize;
use toml::Spanned;

/// One "Product-Specific Support" section.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// `Product Support / Issue`, e.g. `PetTracker Support / GPS Not Working`.
    pub name: String,
    /// The model it concerns.
    pub model: String,
    /// Its steps, in playbook order.
    pub steps: Vec<String>,
}

/// A group of escalation criteria.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaGroup {
    /// E.g. `Tier 2 to Tier 3 Escalation`.
    pub group: String,
    /// The tier a case meeting these goes to.
    pub tier: Tier,
    /// The criteria.
    pub items: Vec<String>,
}

/// The playbook.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    /// Steps any flow may name.
    #[serde(default)]
    pub general_steps: Vec<String>,
    /// Product sections.
    pub sections: Vec<Section>,
    /// Escalation criteria.
    pub criteria: Vec<CriteriaGroup>,
}

impl Playbook {
    /// Parses `playbook.toml`, reporting problems to `diags`.
    pub fn parse(text: &str, diags: &mut Diags) -> Option<Playbook> {
        match toml::from_str::<Spanned<Playbook>>(text) {
            Ok(p) => Some(p.into_inner()),
            Err(e) => {
                let at = e.span().map_or(0, |s| s.start);
                diags.error(at, e.message().to_string());
                None
            }
        }
    }

    /// The section with this name.
    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// Whether `step` may be named by a flow of `section`.
    pub fn allows_step(&self, section: &Section, step: &str) -> bool {
        section.steps.iter().any(|s| s == step) || self.general_steps.iter().any(|s| s == step)
    }

    /// The group of a criterion.
    pub fn criterion(&self, text: &str) -> Option<&CriteriaGroup> {
        self.criteria
            .iter()
            .find(|g| g.items.iter().any(|c| c == text))
    }

    /// Checks that `tier` is the level the playbook gives `criterion`
    /// ("Tier 1 to Tier 2" criteria go to Tier 2, "Tier 2 to Tier 3" to
    /// Tier 3, "Management Escalation" to Management). On a mismatch, the
    /// message and a hint naming the group whose criteria go to `tier`. An
    /// unknown criterion is not this check's business (reported elsewhere).
    pub fn check_level(&self, tier: Tier, criterion: &str) -> Result<(), (String, String)> {
        let Some(group) = self.criterion(criterion) else {
            return Ok(());
        };
        if group.tier == tier {
            return Ok(());
        }
        let message = format!(
            "tier {} contradicts the criterion `{criterion}`: the playbook lists it under \"{}\", which goes to {}",
            level_word(tier),
            group.group,
            group.tier
        );
        let groups: Vec<String> = self
            .criteria
            .iter()
            .filter(|g| g.tier == tier)
            .map(|g| format!("\"{}\"", g.group))
            .collect();
        let hint = if groups.is_empty() {
            format!("write tier = {}", level_word(group.tier))
        } else {
            format!(
                "write tier = {}, or choose a criterion from {} (flows/playbook.toml)",
                level_word(group.tier),
                groups.join(" or ")
            )
        };
        Err((message, hint))
    }

    /// Every criterion, for hints.
    pub fn all_criteria(&self) -> impl Iterator<Item = &str> {
        self.criteria
            .iter()
            .flat_map(|g| g.items.iter().map(String::as_str))
    }
}

/// A tier as written in flow files: `2`, `3` or `"management"`.
fn level_word(tier: Tier) -> String {
    match tier.number() {
        Some(n) => n.to_string(),
        None => "\"management\"".into(),
    }
}
