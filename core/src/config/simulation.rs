//! The controller document's optional `simulation` section: how to replay a recorded load
//! through one of its groups (`fleetcore::sim`, Python's `fleetcore.simulate`, `make demo`).
//! Firmware and C read and check it with the rest of the document and otherwise ignore it, so
//! the document a policy was designed with is the one flashed.
//!
//! SEMANTICS has no rule here: these are fleetcore's simulation model's parameters
//! ([`crate::sim::World`], [`crate::sim::SpotRisk`]).

use serde::{Deserialize, Serialize};

use super::ConfigError;
use super::scan::Seg;
use super::schema::{Conv, GroupDoc, Name, bad, decimal, index};
use crate::group::Source;
use crate::value::Value;
use crate::zone::ZoneName;

/// Spot pools a simulation can give an interruption chance (those a document can list).
pub const MAX_INTERRUPTIONS: usize = super::purchase::MAX_DOC_POOLS;

/// How often EC2 reclaims one Spot pool's instances.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct SpotInterruptionDoc {
    /// The pool's instance type (priced in the group's `purchase`).
    pub instance_type: super::purchase::TypeText,
    /// The pool's zone.
    pub zone: ZoneName,
    /// The chance that a running instance is interrupted within a 30-day month, 0–1 (the Spot
    /// Instance Advisor's "frequency of interruption": 0.05 for its "<5 %" band).
    #[serde(with = "decimal")]
    pub chance: Value,
}

/// The `simulation` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct SimulationDoc {
    /// The group simulated (default: the document's only group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Name>,
    /// Seed of the group's instance ids (default 0).
    #[serde(default)]
    pub seed: u64,
    /// Step length in seconds (default 60).
    #[serde(default = "sixty")]
    pub step_s: u32,
    /// The load one member (one unit of weight) serves at 100 % utilisation (required to run,
    /// here or where the run is started).
    #[serde(
        default,
        with = "decimal::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub member_capacity: Option<Value>,
    /// From launch to in service, seconds (required to run, here or where the run is started).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boot_time_s: Option<u32>,
    /// Utilisation (percent) above which a step breaches the SLO (default 90).
    #[serde(default = "ninety", with = "decimal")]
    pub slo_utilisation: Value,
    /// Cost of a member-hour when the group has no `purchase` section (default 1: cost counts
    /// member-hours).
    #[serde(default = "one", with = "decimal")]
    pub price_per_hour: Value,
    /// The per-member metric (by name) that gets each member's utilisation (default: the
    /// group's first per-member metric).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilisation_metric: Option<Name>,
    /// The group metric (by name) that gets the whole load (default none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_metric: Option<Name>,
    /// Interruption chances of the group's Spot pools (default none: no interruptions).
    #[serde(default)]
    pub spot_interruptions: heapless::Vec<SpotInterruptionDoc, MAX_INTERRUPTIONS>,
    /// Seed of the interruption draws (default 0).
    #[serde(default)]
    pub spot_seed: u64,
    /// From the rebalance recommendation to the 2-minute notice, seconds (default 0).
    #[serde(default)]
    pub rebalance_lead_s: u32,
}

fn sixty() -> u32 {
    60
}

fn ninety() -> Value {
    Value::from_int(90)
}

fn one() -> Value {
    Value::from_int(1)
}

impl SimulationDoc {
    /// Checks the section against the document's groups: the group it names exists (or there
    /// is exactly one), its metrics are that group's (the utilisation metric per-member, the
    /// load metric a group metric), and each interruption names a Spot pool of the group's
    /// `purchase`. Returns the group's index.
    pub(super) fn convert(&self, groups: &[GroupDoc]) -> Conv<usize> {
        let field = |f| [Seg::Field(f)];
        let at = match &self.group {
            Some(name) => groups.iter().position(|g| g.name == *name).ok_or_else(|| {
                bad(
                    ConfigError::UnknownReference { what: "group" },
                    &field("group"),
                )
            })?,
            None if groups.len() == 1 => 0,
            None => {
                return Err(bad(
                    ConfigError::Invalid {
                        expected: "the name of the group to simulate (the document has \
                                   more or fewer than one)",
                    },
                    &field("group"),
                ));
            }
        };
        let Some(g) = groups.get(at) else {
            return Err(bad(
                ConfigError::UnknownReference { what: "group" },
                &field("group"),
            ));
        };
        if self.step_s == 0 {
            return Err(bad(
                ConfigError::Invalid {
                    expected: "a step of at least 1 s",
                },
                &field("step_s"),
            ));
        }
        if self.member_capacity.is_some_and(|c| c <= Value::ZERO) {
            return Err(bad(
                ConfigError::Invalid {
                    expected: "a positive member capacity",
                },
                &field("member_capacity"),
            ));
        }
        let metric = |name: &Option<Name>, members: bool, f| match name {
            None => Ok(()),
            Some(n) => match g.metrics.iter().find(|m| m.name == *n) {
                Some(m) if (m.source == Source::Members) == members => Ok(()),
                Some(_) => Err(bad(
                    ConfigError::Invalid {
                        expected: if members {
                            "a per-member metric (source members)"
                        } else {
                            "a group metric (source group)"
                        },
                    },
                    &field(f),
                )),
                None => Err(bad(
                    ConfigError::UnknownReference {
                        what: "metric of the group",
                    },
                    &field(f),
                )),
            },
        };
        metric(&self.utilisation_metric, true, "utilisation_metric")?;
        metric(&self.load_metric, false, "load_metric")?;
        for (i, s) in self.spot_interruptions.iter().enumerate() {
            let at = |f| [Seg::Field("spot_interruptions"), index(i), Seg::Field(f)];
            let known = g.purchase.as_ref().is_some_and(|p| {
                p.spot
                    .iter()
                    .any(|pool| pool.instance_type == s.instance_type && pool.zone == s.zone)
            });
            if !known {
                return Err(bad(
                    ConfigError::UnknownReference {
                        what: "Spot pool of the group's purchase section",
                    },
                    &at("instance_type"),
                ));
            }
            if s.chance < Value::ZERO || s.chance > Value::from_int(1) {
                return Err(bad(
                    ConfigError::Invalid {
                        expected: "a chance from 0 to 1",
                    },
                    &at("chance"),
                ));
            }
        }
        Ok(at)
    }
}
