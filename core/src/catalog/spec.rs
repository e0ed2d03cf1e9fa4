//! What a launch is made of: the launch spec a template resolves to, with how the instance is
//! bought and what an OS shutdown does. The catalog produces it and the instance lifecycle
//! consumes it, so it lives here, below the lifecycle (re-exported there).

use super::{RootDeviceType, TypeName};
use crate::id::{ImageId, TemplateId};

vocabulary! {
    /// `InstanceInitiatedShutdownBehavior`: what an OS shutdown does to an EBS-backed instance.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum ShutdownBehavior: "shutdown behavior" {
        /// Stop (the service's default).
        #[default]
        Stop = 0 => "stop",
        /// Terminate.
        Terminate = 1 => "terminate",
    }
}

vocabulary! {
    /// `SpotMarketOptions.SpotInstanceType`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum SpotRequestType: "Spot request type" {
        /// The request ends with the instance (the default).
        #[default]
        OneTime = 0 => "one_time" | "one-time",
        /// The request stays open and relaunches or restarts after an interruption.
        Persistent = 1 => "persistent",
    }
}

vocabulary! {
    /// `SpotMarketOptions.InstanceInterruptionBehavior` (SEMANTICS §1.4). The canonical
    /// spelling is also the `instance-action` one (`detail.instance-action`, IMDS
    /// `spot/instance-action`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum InterruptionBehavior: "interruption behavior" {
        /// Terminate (the default), after a 2-minute notice.
        #[default]
        Terminate = 0 => "terminate",
        /// Stop, after a 2-minute notice; only EC2 restarts it.
        Stop = 1 => "stop",
        /// Hibernate at once; the notice gives no lead time.
        Hibernate = 2 => "hibernate",
    }
}

/// How an instance is bought, as far as the lifecycle cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Market {
    /// On-Demand (the default).
    #[default]
    OnDemand,
    /// Spot, with its request type and interruption behaviour.
    Spot {
        /// One-time or persistent.
        request: SpotRequestType,
        /// What an interruption does.
        interruption: InterruptionBehavior,
    },
}

/// Everything a launch needs to know, usually resolved from a launch template.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LaunchSpec {
    /// The image to boot.
    pub image: ImageId,
    /// The instance type.
    pub instance_type: TypeName,
    /// The image's root device type.
    pub root_device: RootDeviceType,
    /// What an OS shutdown does.
    pub shutdown_behavior: ShutdownBehavior,
    /// `HibernationOptions.Configured`.
    pub hibernation_configured: bool,
    /// `DisableApiTermination` (termination protection).
    pub disable_api_termination: bool,
    /// On-Demand or Spot.
    pub market: Market,
    /// The launch template and version this came from, if any.
    pub template: Option<(TemplateId, u32)>,
}

impl LaunchSpec {
    /// An On-Demand, EBS-backed launch with the service's defaults.
    pub fn new(image: ImageId, instance_type: TypeName) -> Self {
        Self {
            image,
            instance_type,
            root_device: RootDeviceType::Ebs,
            shutdown_behavior: ShutdownBehavior::Stop,
            hibernation_configured: false,
            disable_api_termination: false,
            market: Market::OnDemand,
            template: None,
        }
    }

    /// What a Spot interruption does, or `None` for On-Demand. Hibernation configured forces
    /// `hibernate` (SEMANTICS §1.4).
    pub fn interruption_behavior(&self) -> Option<InterruptionBehavior> {
        match self.market {
            Market::OnDemand => None,
            Market::Spot { .. } if self.hibernation_configured => {
                Some(InterruptionBehavior::Hibernate)
            }
            Market::Spot { interruption, .. } => Some(interruption),
        }
    }
}
