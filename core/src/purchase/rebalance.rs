//! Capacity Rebalancing as a pure decision over members and pools (SEMANTICS §2.12).
//!
//! For a group with `CapacityRebalance` on. On a rebalance recommendation a replacement is
//! launched only into a pool that is no riskier — here: whose caller-reported capacity is at
//! least that of the member's pool — and the old member is terminated once its replacement is
//! in service (never if it is protected). On an interruption notice the replacement launches at
//! once whatever the risk, and EC2 itself ends the old member. A replacement may take the group
//! above its maximum for a while, as the service allows. The replacement goes to the member's
//! own zone when a pool there can launch (keeping zones balanced), else to the zone with the
//! fewest units; never into the member's own pool.
//!
//! Not wired into the group yet: the caller keeps, per member, its signal and which member a
//! replacement replaces, and passes them as [`RebalanceView`]s.

use super::mixed::{Launch, MemberView, Mix};
use super::spot::SpotSignal;
use super::{MarketKind, PurchaseError};

/// A member as Capacity Rebalancing sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RebalanceView {
    /// The member.
    pub member: MemberView,
    /// What it has been told.
    pub signal: SpotSignal,
    /// Index (in the same slice) of the member this one was launched to replace.
    pub replaces: Option<u16>,
    /// Whether it has passed its health checks and is in service.
    pub in_service: bool,
}

/// The next Capacity Rebalancing step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RebalanceStep {
    /// Launch a replacement for the member at this index.
    Replace {
        /// The member replaced.
        member: usize,
        /// What to launch.
        launch: Launch,
    },
    /// Terminate the member at this index: its replacement is in service.
    Terminate {
        /// The member.
        member: usize,
    },
    /// Nothing to do now.
    Idle,
}

/// The next step; call again after carrying it out, until [`RebalanceStep::Idle`].
///
/// # Errors
/// Those of [`Mix::validate`].
pub fn decide(mix: &Mix<'_>, members: &[RebalanceView]) -> Result<RebalanceStep, PurchaseError> {
    mix.validate()?;
    let views = members.iter().map(|v| v.member);
    for (i, v) in members.iter().enumerate() {
        if v.member.market != MarketKind::Spot || v.signal == SpotSignal::None {
            continue;
        }
        let me = u16::try_from(i).ok();
        let replacement = members.iter().find(|r| me.is_some() && r.replaces == me);
        if let Some(r) = replacement {
            if v.signal == SpotSignal::Rebalance && r.in_service && !v.member.protected {
                return Ok(RebalanceStep::Terminate { member: i });
            }
            continue;
        }
        let own = (v.member.instance_type, v.member.zone);
        let old_capacity = mix.prices.spot(own.0, own.1).map_or(0, |p| p.capacity);
        let others = mix.launch_zones(views.clone());
        let zones = core::iter::once(v.member.zone)
            .chain(others.iter().copied().filter(|&z| z != v.member.zone));
        for z in zones {
            let Some(launch) = mix.choose_spot_in(z, &views.clone(), Some(own)) else {
                continue;
            };
            let capacity = mix
                .prices
                .spot(launch.instance_type, launch.zone)
                .map_or(0, |p| p.capacity);
            if v.signal == SpotSignal::Notice || capacity >= old_capacity {
                return Ok(RebalanceStep::Replace { member: i, launch });
            }
        }
    }
    Ok(RebalanceStep::Idle)
}
