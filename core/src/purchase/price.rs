//! The caller's price table: On-Demand rates per type and Spot pools (SEMANTICS §4.1, §4.4).

use super::{MAX_POOLS, MAX_TYPES, PurchaseError, Rate, check_zone};
use crate::catalog::{InstanceType, NormalizationFactor, TypeName};

/// One priced instance type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct PricedType {
    /// The type name (its family is what size-flexible reservations match).
    pub name: TypeName,
    /// Its Reserved Instance normalization factor (SEMANTICS §4.2).
    pub normalization: NormalizationFactor,
    /// The On-Demand price, fixed (SEMANTICS §4.1).
    pub on_demand: Rate,
}

/// One Spot capacity pool: an instance type in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct SpotPool {
    /// Index of the type in the price table.
    pub instance_type: u8,
    /// Zone index.
    pub zone: u8,
    /// The current Spot price, as EC2 publishes it.
    pub price: Rate,
    /// Spare capacity as the caller estimates it (any scale; larger is deeper and less likely
    /// to be interrupted). Zero means the pool cannot launch.
    pub capacity: u32,
}

/// On-Demand rates by type and Spot prices by pool, in the caller's unit.
///
/// Types are referred to by their index here (the order they were added); indices never
/// change. Capacity: [`MAX_TYPES`] types and [`MAX_POOLS`] Spot pools.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Prices {
    types: heapless::Vec<PricedType, MAX_TYPES>,
    pools: heapless::Vec<SpotPool, MAX_POOLS>,
}

impl Prices {
    /// An empty table.
    pub const fn new() -> Self {
        Self {
            types: heapless::Vec::new(),
            pools: heapless::Vec::new(),
        }
    }

    /// Prices `instance_type` at `on_demand` per hour; returns its index.
    ///
    /// # Errors
    /// [`PurchaseError::DuplicateType`] if the name is priced already, [`PurchaseError::Full`].
    pub fn add_type(
        &mut self,
        instance_type: &InstanceType,
        on_demand: Rate,
    ) -> Result<u8, PurchaseError> {
        if self.index(instance_type.name.as_str()).is_some() {
            return Err(PurchaseError::DuplicateType);
        }
        let full = PurchaseError::Full {
            table: "types",
            capacity: MAX_TYPES,
        };
        let ix = u8::try_from(self.types.len()).map_err(|_| full)?;
        self.types
            .push(PricedType {
                name: instance_type.name.clone(),
                normalization: instance_type.normalization,
                on_demand,
            })
            .map_err(|_| full)?;
        Ok(ix)
    }

    /// Prices a type from the catalog's built-in table (`"t2.small"` …).
    ///
    /// # Errors
    /// [`PurchaseError::UnknownType`] for a name not in the built-in table, and those of
    /// [`Prices::add_type`].
    pub fn add_builtin(&mut self, name: &str, on_demand: Rate) -> Result<u8, PurchaseError> {
        let t = InstanceType::builtin(name).map_err(|_| PurchaseError::UnknownType)?;
        self.add_type(&t, on_demand)
    }

    /// The index of a priced type.
    pub fn index(&self, name: &str) -> Option<u8> {
        self.types
            .iter()
            .position(|t| t.name.as_str() == name)
            .and_then(|i| u8::try_from(i).ok())
    }

    /// A priced type by index.
    pub fn get(&self, instance_type: u8) -> Option<&PricedType> {
        self.types.get(usize::from(instance_type))
    }

    /// The priced types, in index order.
    pub fn types(&self) -> impl Iterator<Item = &PricedType> {
        self.types.iter()
    }

    /// The On-Demand rate of a type.
    pub fn on_demand(&self, instance_type: u8) -> Option<Rate> {
        self.get(instance_type).map(|t| t.on_demand)
    }

    /// Sets the Spot price and capacity of a pool, adding the pool if new.
    ///
    /// A ledger prices Spot usage at the price in effect, so change prices of a metered group
    /// through [`super::Account::set_spot_price`], which settles first.
    ///
    /// # Errors
    /// [`PurchaseError::UnknownType`], [`PurchaseError::ZoneOutOfRange`], [`PurchaseError::Full`].
    pub fn set_spot(
        &mut self,
        instance_type: u8,
        zone: u8,
        price: Rate,
        capacity: u32,
    ) -> Result<(), PurchaseError> {
        self.get(instance_type).ok_or(PurchaseError::UnknownType)?;
        check_zone(zone)?;
        let pool = SpotPool {
            instance_type,
            zone,
            price,
            capacity,
        };
        match self.pool_mut(instance_type, zone) {
            Some(p) => *p = pool,
            None => self.pools.push(pool).map_err(|_| PurchaseError::Full {
                table: "spot pools",
                capacity: MAX_POOLS,
            })?,
        }
        Ok(())
    }

    /// Sets the caller-reported spare capacity of an existing pool.
    ///
    /// # Errors
    /// [`PurchaseError::UnknownPool`] if no price was set for it.
    pub fn set_spot_capacity(
        &mut self,
        instance_type: u8,
        zone: u8,
        capacity: u32,
    ) -> Result<(), PurchaseError> {
        let p = self
            .pool_mut(instance_type, zone)
            .ok_or(PurchaseError::UnknownPool {
                instance_type,
                zone,
            })?;
        p.capacity = capacity;
        Ok(())
    }

    /// The Spot pool of a type in a zone.
    pub fn spot(&self, instance_type: u8, zone: u8) -> Option<SpotPool> {
        self.pools
            .iter()
            .find(|p| p.instance_type == instance_type && p.zone == zone)
            .copied()
    }

    /// Every Spot pool.
    pub fn pools(&self) -> impl Iterator<Item = &SpotPool> {
        self.pools.iter()
    }

    fn pool_mut(&mut self, instance_type: u8, zone: u8) -> Option<&mut SpotPool> {
        self.pools
            .iter_mut()
            .find(|p| p.instance_type == instance_type && p.zone == zone)
    }

    /// The family of a type (`t2` of `t2.small`), for size-flexible matching.
    pub(crate) fn family(&self, instance_type: u8) -> Option<&str> {
        self.get(instance_type).map(|t| t.name.family())
    }
}
