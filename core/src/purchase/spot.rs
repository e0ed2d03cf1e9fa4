//! Spot: the max-price rule, which members the price interrupts, delivering an interruption to
//! a lifecycle [`Instance`], and the signals Capacity Rebalancing acts on (SEMANTICS §1.4,
//! §4.4).
//!
//! The 2-minute notice and the terminate / stop / hibernate behaviours belong to the lifecycle
//! module ([`Instance::observe`] with [`Report::SpotInterruption`], then [`Instance::tick`]);
//! this module decides *when* EC2 would interrupt — the caller reports reclaimed capacity, and
//! [`price_interruptions`] finds members whose pool's price passed their max price — and hands
//! the interruption on with [`interrupt`].

use super::mixed::{MemberView, Mix};
use super::{MarketKind, PurchaseError, Rate};
use crate::lifecycle::LifecycleError;
use crate::lifecycle::{Instance, Report, SpotNotice};
use crate::time::Instant;

vocabulary! {
    /// What a Spot member has been told (SEMANTICS §1.4); aliases are the `EventBridge`
    /// detail types.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum SpotSignal: "spot signal" {
        /// Nothing.
        #[default]
        None = 0 => "none",
        /// A rebalance recommendation: elevated risk of interruption.
        Rebalance = 1 => "rebalance" | "EC2 Instance Rebalance Recommendation",
        /// An interruption notice: the action follows in 2 minutes (at once for hibernation).
        Notice = 2 => "notice" | "EC2 Spot Instance Interruption Warning",
    }
}

/// Why EC2 interrupts a Spot Instance (SEMANTICS §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum InterruptionCause {
    /// EC2 needs the capacity back (the caller reports it).
    Capacity,
    /// The Spot price rose above the max price.
    Price,
}

/// Checks a `SpotMaxPrice`: unset, or more than 0.001 per hour.
///
/// # Errors
/// [`PurchaseError::MaxPriceTooLow`].
pub fn check_max_price(max: Option<Rate>) -> Result<(), PurchaseError> {
    match max {
        Some(m) if m.micros() <= super::mixed::MIN_MAX_PRICE_MICROS => {
            Err(PurchaseError::MaxPriceTooLow)
        }
        _ => Ok(()),
    }
}

/// Indices of the Spot members whose pool is now priced above their max price.
pub fn price_interruptions<'a>(
    mix: &'a Mix<'a>,
    members: &'a [MemberView],
) -> impl Iterator<Item = usize> + 'a {
    members.iter().enumerate().filter_map(|(i, m)| {
        (m.market == MarketKind::Spot && mix.above_max_price(m.instance_type, m.zone)).then_some(i)
    })
}

/// Delivers an interruption to a running Spot instance: the lifecycle module records the
/// notice (and starts hibernation at once when that is the behaviour); [`Instance::tick`]
/// carries out a stop or terminate when the 2 minutes are up. Returns the notice.
///
/// # Errors
/// Those of [`Instance::observe`]: [`LifecycleError::NotSpot`] for On-Demand,
/// [`LifecycleError::IncorrectState`] unless running.
pub fn interrupt(now: Instant, instance: &mut Instance) -> Result<SpotNotice, LifecycleError> {
    instance.observe(now, Report::SpotInterruption)?;
    instance
        .spot_notice()
        .ok_or(LifecycleError::NotSpot { id: instance.id() })
}

/// The signal of an instance: a notice if the lifecycle module holds one, else a rebalance
/// recommendation if the caller has seen one for it.
pub fn signal(instance: &Instance, rebalance_recommended: bool) -> SpotSignal {
    if instance.spot_notice().is_some() {
        SpotSignal::Notice
    } else if rebalance_recommended {
        SpotSignal::Rebalance
    } else {
        SpotSignal::None
    }
}
