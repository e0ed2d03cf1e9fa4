//! What can be launched: images, instance types and launch templates (SEMANTICS §4.2, §6, §7).
//!
//! [`Catalog`] holds the user's images, custom instance types and launch templates in fixed
//! capacity, beside the built-in table of common EC2 types. It checks references when a
//! template version is created (the image is registered, the type is known), and turns a
//! template and version into the [`LaunchSpec`] an instance is launched with.

mod error;
mod spec;
pub use error::CatalogError;
pub use spec::{InterruptionBehavior, LaunchSpec, Market, ShutdownBehavior, SpotRequestType};

mod image;
mod instance_type;
mod template;

pub use image::{Architecture, BootMode, DESCRIPTION_MAX, IMAGE_NAME_MAX, Image, RootDeviceType};
pub use instance_type::{Category, InstanceType, NormalizationFactor, TYPE_NAME_MAX, TypeName};
pub use template::{
    LaunchTemplate, LaunchTemplateData, TEMPLATE_NAME_MAX, TemplateVersion, VERSION_QUOTA,
    VersionSpec,
};

use crate::id::{IdGenerator, ImageId, TemplateId};

/// Resolves a launch template version for a launch, as an Auto Scaling group does at each one.
pub trait TemplateSource {
    /// The version number `version` names now in template `id`.
    ///
    /// # Errors
    /// [`CatalogError::UnknownTemplate`] or [`CatalogError::UnknownVersion`].
    fn resolve(&self, id: TemplateId, version: VersionSpec) -> Result<u32, CatalogError>;
}

impl<const T: usize, const I: usize, const L: usize, const V: usize> TemplateSource
    for Catalog<T, I, L, V>
{
    fn resolve(&self, id: TemplateId, version: VersionSpec) -> Result<u32, CatalogError> {
        Ok(self.template(id)?.resolve(version)?.number())
    }
}

/// Images, custom instance types and launch templates, each in fixed capacity: `TYPES` custom
/// types, `IMAGES` images, `TEMPLATES` templates of up to `VERSIONS` versions each.
#[derive(Debug, Clone)]
pub struct Catalog<
    const TYPES: usize,
    const IMAGES: usize,
    const TEMPLATES: usize,
    const VERSIONS: usize,
> {
    types: heapless::Vec<InstanceType, TYPES>,
    images: heapless::Vec<Image, IMAGES>,
    templates: heapless::Vec<LaunchTemplate<VERSIONS>, TEMPLATES>,
    ids: IdGenerator,
}

impl<const TYPES: usize, const IMAGES: usize, const TEMPLATES: usize, const VERSIONS: usize>
    Catalog<TYPES, IMAGES, TEMPLATES, VERSIONS>
{
    /// An empty catalog whose template ids come from `seed`.
    pub const fn new(seed: u64) -> Self {
        Self {
            types: heapless::Vec::new(),
            images: heapless::Vec::new(),
            templates: heapless::Vec::new(),
            ids: IdGenerator::new(seed),
        }
    }

    /// Adds a user-defined instance type (a board, a custom node).
    ///
    /// # Errors
    /// [`CatalogError::OutOfRange`] for a zero field, [`CatalogError::DuplicateInstanceType`]
    /// if the name is built in or already added, [`CatalogError::Full`].
    pub fn add_instance_type(&mut self, t: InstanceType) -> Result<(), CatalogError> {
        t.validate()?;
        if self.instance_type(t.name.as_str()).is_ok() {
            return Err(CatalogError::DuplicateInstanceType);
        }
        self.types.push(t).map_err(|_| CatalogError::Full {
            table: "instance types",
            capacity: TYPES,
        })
    }

    /// Looks a type up: the user's types, then the built-in table.
    ///
    /// # Errors
    /// [`CatalogError::InvalidTypeName`] or [`CatalogError::UnknownInstanceType`].
    pub fn instance_type(&self, name: &str) -> Result<InstanceType, CatalogError> {
        match self.types.iter().find(|t| t.name.as_str() == name) {
            Some(t) => Ok(t.clone()),
            None => InstanceType::builtin(name),
        }
    }

    /// The user-defined types.
    pub fn custom_types(&self) -> impl Iterator<Item = &InstanceType> {
        self.types.iter()
    }

    /// `RegisterImage`.
    ///
    /// # Errors
    /// [`CatalogError::DuplicateImage`] or [`CatalogError::Full`].
    pub fn register_image(&mut self, image: Image) -> Result<(), CatalogError> {
        if self.image(image.id).is_ok() {
            return Err(CatalogError::DuplicateImage);
        }
        self.images.push(image).map_err(|_| CatalogError::Full {
            table: "images",
            capacity: IMAGES,
        })
    }

    /// `DeregisterImage`. Templates that name the image keep it; launching them then fails.
    ///
    /// # Errors
    /// [`CatalogError::UnknownImage`].
    pub fn deregister_image(&mut self, id: ImageId) -> Result<(), CatalogError> {
        let index = self
            .images
            .iter()
            .position(|i| i.id == id)
            .ok_or(CatalogError::UnknownImage)?;
        self.images.remove(index);
        Ok(())
    }

    /// Looks an image up.
    ///
    /// # Errors
    /// [`CatalogError::UnknownImage`].
    pub fn image(&self, id: ImageId) -> Result<&Image, CatalogError> {
        self.images
            .iter()
            .find(|i| i.id == id)
            .ok_or(CatalogError::UnknownImage)
    }

    /// The registered images.
    pub fn images(&self) -> impl Iterator<Item = &Image> {
        self.images.iter()
    }

    fn check_data(&self, data: &LaunchTemplateData) -> Result<(), CatalogError> {
        self.image(data.image)?;
        self.instance_type(data.instance_type.as_str())?;
        Ok(())
    }

    /// `CreateLaunchTemplate`; returns the new template's id.
    ///
    /// # Errors
    /// [`CatalogError::UnknownImage`], [`CatalogError::UnknownInstanceType`],
    /// [`CatalogError::DuplicateTemplateName`], [`CatalogError::InvalidTemplateName`],
    /// [`CatalogError::TooLong`], [`CatalogError::Full`]. Nothing changes on error.
    pub fn create_template(
        &mut self,
        name: &str,
        data: LaunchTemplateData,
        description: &str,
    ) -> Result<TemplateId, CatalogError> {
        self.check_data(&data)?;
        if self.templates.iter().any(|t| t.name() == name) {
            return Err(CatalogError::DuplicateTemplateName);
        }
        if self.templates.is_full() {
            return Err(CatalogError::Full {
                table: "templates",
                capacity: TEMPLATES,
            });
        }
        let mut ids = self.ids;
        let id = ids.next_id().map_err(|_| CatalogError::Full {
            table: "templates",
            capacity: TEMPLATES,
        })?;
        let template = LaunchTemplate::new(id, name, data, description)?;
        self.templates
            .push(template)
            .map_err(|_| CatalogError::Full {
                table: "templates",
                capacity: TEMPLATES,
            })?;
        self.ids = ids;
        Ok(id)
    }

    /// Looks a template up by id.
    ///
    /// # Errors
    /// [`CatalogError::UnknownTemplate`].
    pub fn template(&self, id: TemplateId) -> Result<&LaunchTemplate<VERSIONS>, CatalogError> {
        self.templates
            .iter()
            .find(|t| t.id() == id)
            .ok_or(CatalogError::UnknownTemplate)
    }

    /// Looks a template up by name.
    ///
    /// # Errors
    /// [`CatalogError::UnknownTemplate`].
    pub fn template_by_name(&self, name: &str) -> Result<&LaunchTemplate<VERSIONS>, CatalogError> {
        self.templates
            .iter()
            .find(|t| t.name() == name)
            .ok_or(CatalogError::UnknownTemplate)
    }

    fn template_mut(
        &mut self,
        id: TemplateId,
    ) -> Result<&mut LaunchTemplate<VERSIONS>, CatalogError> {
        self.templates
            .iter_mut()
            .find(|t| t.id() == id)
            .ok_or(CatalogError::UnknownTemplate)
    }

    /// `CreateLaunchTemplateVersion`; returns the new version number.
    ///
    /// # Errors
    /// [`CatalogError::UnknownTemplate`], [`CatalogError::UnknownImage`],
    /// [`CatalogError::UnknownInstanceType`], or the template's own errors.
    pub fn create_template_version(
        &mut self,
        id: TemplateId,
        data: LaunchTemplateData,
        description: &str,
    ) -> Result<u32, CatalogError> {
        self.check_data(&data)?;
        self.template_mut(id)?.add_version(data, description)
    }

    /// `ModifyLaunchTemplate --default-version`.
    ///
    /// # Errors
    /// [`CatalogError::UnknownTemplate`] or [`CatalogError::UnknownVersion`].
    pub fn set_default_version(
        &mut self,
        id: TemplateId,
        version: u32,
    ) -> Result<(), CatalogError> {
        self.template_mut(id)?.set_default_version(version)
    }

    /// `DeleteLaunchTemplateVersions` for one version.
    ///
    /// # Errors
    /// [`CatalogError::UnknownTemplate`], [`CatalogError::UnknownVersion`] or
    /// [`CatalogError::DeleteDefaultVersion`].
    pub fn delete_template_version(
        &mut self,
        id: TemplateId,
        version: u32,
    ) -> Result<(), CatalogError> {
        self.template_mut(id)?.delete_version(version)
    }

    /// Resolves a template and version, as an Auto Scaling launch does at each launch, into the
    /// spec an instance is launched with.
    ///
    /// # Errors
    /// [`CatalogError::UnknownTemplate`], [`CatalogError::UnknownVersion`], or
    /// [`CatalogError::UnknownImage`] if the image has since been deregistered;
    /// [`CatalogError::ArchitectureMismatch`] when the image's architecture does not run on
    /// the version's instance type, built in or custom ([`InstanceType::architecture`],
    /// SEMANTICS §7; a type the catalog does not know is not checked). Hibernation's
    /// prerequisites are the launch's ([`LaunchSpec::validate`], [`LaunchSpec::validate_for`]).
    pub fn launch_spec(
        &self,
        id: TemplateId,
        version: VersionSpec,
    ) -> Result<LaunchSpec, CatalogError> {
        let v = self.template(id)?.resolve(version)?;
        let data = v.data();
        let image = self.image(data.image)?;
        // A custom type states its architecture (or takes its name's); a type neither custom
        // nor built in is not described, so any image is taken for it.
        if let Ok(t) = self.instance_type(data.instance_type.as_str())
            && !t.runs(image.architecture)
        {
            return Err(CatalogError::ArchitectureMismatch {
                instance_type: t.architecture,
                image: image.architecture,
            });
        }
        Ok(LaunchSpec {
            image: data.image,
            instance_type: data.instance_type.clone(),
            root_device: image.root_device_type,
            shutdown_behavior: data.shutdown_behavior,
            hibernation_configured: data.hibernation_configured,
            disable_api_termination: data.disable_api_termination,
            market: data.market,
            template: Some((id, v.number())),
        })
    }
}

#[cfg(test)]
mod tests;
