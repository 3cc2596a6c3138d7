//! [`DeviceFacts`]: the live fact source. Wraps a [`Client`], reads each
//! method at most once per session (a cache keyed by method), re-reads on
//! `refresh`, runs fixes and forgets what they make stale, and can prefetch
//! a flow's reads in one pipelined batch.

use super::catalogue::{self, Probe};
use super::{FactError, Facts};
use crate::client::{Call, Client};
use crate::interface::Model;
use futures_util::future::BoxFuture;
use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;

/// Device facts read through a client.
pub struct DeviceFacts {
    client: Client,
    model: Model,
    // Results (or lasting errors) per method. Link losses are not cached.
    cache: HashMap<String, Result<Value, FactError>>,
    // A link loss that ends the session: every later read or fix fails
    // with it, cached or not.
    lost: Option<FactError>,
}

impl DeviceFacts {
    /// Facts of a device whose model is known.
    pub fn new(client: Client, model: Model) -> Self {
        Self {
            client,
            model,
            cache: HashMap::new(),
            lost: None,
        }
    }

    /// Records that the link is gone for good: from now on every read and
    /// fix fails with `e`, even those the cache could answer, so nothing
    /// read before the loss carries the session on as if the device were
    /// still there.
    pub fn mark_lost(&mut self, e: FactError) {
        self.lost = Some(e);
    }

    /// Reads `device.info` to learn the model, then wraps the client.
    /// Fails when the device cannot be read or is not a PawCore model.
    pub async fn identify(mut client: Client) -> Result<Self, (Client, FactError)> {
        let info = match client.call("device.info", None).await {
            Ok(v) => v,
            Err(e) => {
                let fe = FactError::from_call("device.info", &e);
                return Err((client, fe));
            }
        };
        let model_text = info.get("model").and_then(Value::as_str).unwrap_or("");
        let Some(model) = Model::parse(model_text) else {
            let fe = FactError::UnknownModel {
                model: model_text.chars().take(40).collect(),
            };
            return Err((client, fe));
        };
        let mut facts = Self::new(client, model);
        facts.cache.insert("device.info".into(), Ok(info));
        Ok(facts)
    }

    /// The device's model.
    pub fn model(&self) -> Model {
        self.model
    }

    /// The client (transcript, stats).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The client, mutably (notes, event listener).
    pub fn client_mut(&mut self) -> &mut Client {
        &mut self.client
    }

    /// Gives the client back.
    pub fn into_client(self) -> Client {
        self.client
    }

    /// Stores a result read outside the fact interface (the report's
    /// device log), so it is kept with the rest.
    pub fn remember(&mut self, method: &str, value: Value) {
        self.cache.insert(method.to_string(), Ok(value));
    }

    /// The raw result of a method read in this session, if it succeeded.
    pub fn raw(&self, method: &str) -> Option<&Value> {
        self.cache.get(method).and_then(|r| r.as_ref().ok())
    }

    /// Every method result read this session, by method name (raw values for
    /// the technician's report).
    pub fn raw_all(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.cache
            .iter()
            .filter_map(|(m, r)| r.as_ref().ok().map(|v| (m.as_str(), v)))
    }

    /// Methods the device answered with a hardware fault (-32020) and the
    /// fault's code, in method order.
    pub fn hardware_faults(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .cache
            .iter()
            .filter_map(|(m, r)| match r {
                Err(FactError::Device {
                    fault: Some(code), ..
                }) => Some((m.clone(), code.clone())),
                _ => None,
            })
            .collect();
        out.sort();
        out
    }

    /// Reads, in one pipelined batch, every not-yet-read method the given
    /// probes need. Errors are cached per method like single reads; a lost
    /// link (or a stop) is returned.
    pub async fn prefetch_for(&mut self, probes: &[&str]) -> Result<(), FactError> {
        let mut methods: Vec<(&'static str, Option<Value>)> = Vec::new();
        for name in probes {
            let Some(p) = catalogue::find(name) else {
                continue;
            };
            if p.active || !p.applies_to(self.model) {
                continue;
            }
            for (method, params) in [(p.method, p.params())]
                .into_iter()
                .chain(p.also_reads().map(|m| (m, None)))
            {
                if !self.cache.contains_key(method) && !methods.iter().any(|(m, _)| *m == method) {
                    methods.push((method, params));
                }
            }
        }
        self.call_batch(methods).await
    }

    /// Reads every read-only method of the model in one pipelined batch
    /// (the bench's "read everything" start).
    pub async fn prefetch(&mut self) -> Result<(), FactError> {
        let names: Vec<&str> = catalogue::for_model(self.model)
            .map(|p| p.name.as_str())
            .collect();
        self.prefetch_for(&names).await
    }

    async fn call_batch(
        &mut self,
        methods: Vec<(&'static str, Option<Value>)>,
    ) -> Result<(), FactError> {
        if methods.is_empty() {
            return Ok(());
        }
        let calls: Vec<Call> = methods
            .iter()
            .map(|(m, p)| Call {
                method: (*m).to_string(),
                params: p.clone(),
            })
            .collect();
        let results = self.client.call_many(&calls).await;
        let mut lost = None;
        for ((method, _), r) in methods.iter().zip(results) {
            match r {
                Ok(v) => {
                    self.cache.insert((*method).to_string(), Ok(v));
                }
                Err(e) => {
                    let fe = FactError::from_call(method, &e);
                    // Neither says anything lasting about the device.
                    if fe.is_link_lost() || fe.is_cancelled() {
                        lost.get_or_insert(fe);
                    } else {
                        self.cache.insert((*method).to_string(), Err(fe));
                    }
                }
            }
        }
        lost.map_or(Ok(()), Err)
    }

    fn probe(&self, name: &str) -> Result<&'static Probe, FactError> {
        let p = catalogue::find(name).ok_or_else(|| FactError::UnknownProbe(name.into()))?;
        if !p.applies_to(self.model) {
            return Err(FactError::NotForModel {
                probe: name.into(),
                model: self.model.product_name().into(),
            });
        }
        Ok(p)
    }

    async fn method_result(&mut self, p: &'static Probe) -> Result<Value, FactError> {
        if p.active && !self.cache.contains_key(p.method) {
            return Err(FactError::NotRun {
                probe: p.name.clone(),
                method: p.method.into(),
            });
        }
        self.call_cached(p.method, p.params()).await
    }

    /// A read-only method's result: from the cache, or read and cached
    /// (errors too; a lost link is not cached).
    async fn call_cached(
        &mut self,
        method: &'static str,
        params: Option<Value>,
    ) -> Result<Value, FactError> {
        if let Some(r) = self.cache.get(method) {
            return r.clone();
        }
        let r = self
            .client
            .call(method, params)
            .await
            .map_err(|e| FactError::from_call(method, &e));
        if !matches!(&r, Err(e) if e.is_link_lost() || e.is_cancelled()) {
            self.cache.insert(method.into(), r.clone());
        }
        r
    }

    async fn do_read(&mut self, name: &str, fresh: bool) -> Result<Value, FactError> {
        if let Some(e) = &self.lost {
            return Err(e.clone());
        }
        let p = self.probe(name)?;
        if fresh && !p.active {
            self.cache.remove(p.method);
        }
        let result = self.method_result(p).await?;
        // A joined probe's other method is read once per session: only the
        // probe's own method is what a fresh read (a poll) reads again.
        let other = match p.also_reads() {
            Some(m) => Some(self.call_cached(m, None).await?),
            None => None,
        };
        Ok(p.extract_with(&result, other.as_ref(), self.model))
    }

    async fn do_invoke(&mut self, method: &str, params: Option<Value>) -> Result<Value, FactError> {
        if let Some(e) = &self.lost {
            return Err(e.clone());
        }
        if !self.model.has_method(method) {
            return Err(FactError::Unsupported {
                method: method.into(),
            });
        }
        let result = if method == "device.reboot" {
            // Reboots re-enumerate or disconnect the device: the client
            // waits for it and reconnects (§1.1, §1.2).
            let mode = params
                .as_ref()
                .and_then(|p| p.get("mode"))
                .and_then(Value::as_str)
                .unwrap_or("soft")
                .to_string();
            self.client
                .reboot(&mode)
                .await
                .map(|()| serde_json::json!({ "ok": true }))
        } else {
            self.client.call(method, params).await
        };
        for stale in catalogue::invalidated_by(method) {
            if *stale == "*" {
                self.cache.clear();
            } else {
                self.cache.remove(*stale);
            }
        }
        let result = result.map_err(|e| FactError::from_call(method, &e))?;
        // Active probes (alerts.test_delivered…) read the fix's result.
        self.cache.insert(method.into(), Ok(result.clone()));
        Ok(result)
    }
}

impl Facts for DeviceFacts {
    fn read<'a>(&'a mut self, probe: &'a str) -> BoxFuture<'a, Result<Value, FactError>> {
        Box::pin(self.do_read(probe, false))
    }

    fn refresh<'a>(&'a mut self, probe: &'a str) -> BoxFuture<'a, Result<Value, FactError>> {
        Box::pin(self.do_read(probe, true))
    }

    fn invoke<'a>(
        &'a mut self,
        method: &'a str,
        params: Option<Value>,
    ) -> BoxFuture<'a, Result<Value, FactError>> {
        Box::pin(self.do_invoke(method, params))
    }

    fn wait_event<'a>(
        &'a mut self,
        name: &'a str,
        timeout: Duration,
    ) -> BoxFuture<'a, Result<Option<Value>, FactError>> {
        Box::pin(async move {
            self.client
                .wait_event(name, timeout)
                .await
                .map(|e| e.map(|ev| ev.data))
                .map_err(|e| FactError::from_call(&format!("waiting for {name}"), &e))
        })
    }

    fn known(&self, probe: &str) -> Option<Value> {
        let p = self.probe(probe).ok()?;
        let r = self.cache.get(p.method)?.as_ref().ok()?;
        let other = match p.also_reads() {
            Some(m) => Some(self.cache.get(m)?.as_ref().ok()?),
            None => None,
        };
        Some(p.extract_with(r, other, self.model))
    }
}
