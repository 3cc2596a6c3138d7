//! Help for a flow id that names no flow: the nearest ids (a typo, a
//! missing model), and resolving an id without its model (`gps-not-working`)
//! against a device's model once the device is known.

use super::format::Flow;
use super::load::FlowSet;
use crate::interface::Model;

/// Most suggestions given.
const MAX_SUGGESTIONS: usize = 3;

/// Lowest similarity (normalised Damerau–Levenshtein, 0 to 1) still worth
/// suggesting; below it the ids have little in common.
const MIN_SIMILARITY: f64 = 0.6;

impl FlowSet {
    /// The flow `id` names for a device of `model`: the id itself, or,
    /// when it has no `model/` part, that model's flow of that name.
    pub fn resolve(&self, id: &str, model: Model) -> Option<&Flow> {
        self.get(id).or_else(|| {
            (!id.contains('/'))
                .then(|| self.get(&format!("{}/{id}", model.id())))
                .flatten()
        })
    }

    /// Whether some model has a flow named `id`, an id without its
    /// `model/` part (`gps-not-working`).
    pub fn has_name(&self, id: &str) -> bool {
        !id.contains('/') && self.flows.keys().any(|k| k.split('/').nth(1) == Some(id))
    }

    /// The ids nearest to `wanted`, best first (at most three), among the
    /// flows of `model` when given. An id without its model is compared
    /// with the names after the `/` too.
    pub fn suggest(&self, wanted: &str, model: Option<Model>) -> Vec<String> {
        let wanted = wanted.trim().to_ascii_lowercase();
        let (w_model, w_name) = match wanted.split_once('/') {
            Some((m, n)) => (Some(m), n),
            None => (None, wanted.as_str()),
        };
        let sim = strsim::normalized_damerau_levenshtein;
        let mut scored: Vec<(f64, &str)> = self
            .flows
            .values()
            .filter(|f| model.is_none_or(|m| f.model == m))
            .map(|f| {
                let (f_model, f_name) = f.id.split_once('/').unwrap_or(("", &f.id));
                // The symptom is what people get wrong; a model that is
                // nearly right (or left out) must not drown it out.
                let model_ok = w_model.is_none_or(|m| sim(m, f_model) >= MIN_SIMILARITY);
                let score = if model_ok {
                    sim(w_name, f_name)
                } else {
                    sim(&wanted, &f.id) * 0.9
                };
                (score, f.id.as_str())
            })
            .filter(|(score, _)| *score >= MIN_SIMILARITY)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        // Only ids about as near as the nearest: one clear match stays alone.
        let best = scored.first().map_or(0.0, |s| s.0);
        scored
            .into_iter()
            .take_while(|(score, _)| *score >= best - 0.1)
            .take(MAX_SUGGESTIONS)
            .map(|(_, id)| id.to_string())
            .collect()
    }

    /// A hint for an id that names no flow: "did you mean …?" when some id
    /// is near, else where to find the ids.
    pub fn hint_for(&self, wanted: &str, model: Option<Model>) -> String {
        let near = self.suggest(wanted, model);
        let list = match model {
            Some(m) => format!("`pawdiag flows list --model {}` shows its flows", m.id()),
            None => "`pawdiag flows list` shows the flows".to_string(),
        };
        match near.as_slice() {
            [] => list,
            [one] => format!("did you mean `{one}`? ({list})"),
            many => format!(
                "did you mean {}? ({list})",
                many.iter()
                    .map(|id| format!("`{id}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> FlowSet {
        FlowSet::load(None).expect("built-in flows load")
    }

    #[test]
    fn a_typo_suggests_the_flow_meant() {
        let s = set();
        assert_eq!(
            s.suggest("pettracker/gps-not-workng", None),
            vec!["pettracker/gps-not-working"]
        );
        assert!(
            s.hint_for("pettracker/gps-not-workng", None)
                .starts_with("did you mean `pettracker/gps-not-working`?")
        );
    }

    #[test]
    fn a_name_without_its_model_is_suggested_and_resolved() {
        let s = set();
        assert_eq!(
            s.suggest("gps-not-working", None),
            vec!["pettracker/gps-not-working"]
        );
        assert!(s.has_name("gps-not-working") && !s.has_name("pettracker/gps-not-working"));
        let f = s
            .resolve("gps-not-working", Model::PetTracker)
            .expect("resolves");
        assert_eq!(f.id, "pettracker/gps-not-working");
        assert!(s.resolve("gps-not-working", Model::SmartCollar).is_none());
        // `battery` is a HealthMonitor flow name; a tracker's is battery-life.
        let hm = s
            .resolve("battery", Model::HealthMonitor)
            .expect("resolves");
        assert_eq!(hm.id, "healthmonitor/battery");
    }

    #[test]
    fn nonsense_gets_the_list_not_a_guess() {
        let s = set();
        assert!(s.suggest("zzzzzz", None).is_empty());
        assert_eq!(
            s.hint_for("zzzzzz", Some(Model::SmartCollar)),
            "`pawdiag flows list --model smartcollar` shows its flows"
        );
    }
}
