namespace Slipway.Core;

/// <summary>
/// Every label and annotation name Slipway writes on what it deploys or reads back from it. The backends find, prune
/// and adopt objects by these names, so they are one contract and live in one place.
/// </summary>
public static class SlipwayLabels
{
    /// <summary>Names under this prefix are Slipway's; a spec may not set them.</summary>
    public const string ReservedPrefix = "slipway.io/";

    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>The value of <see cref="ManagedByLabel"/>.</summary>
    public const string ManagedByValue = "slipway";

    /// <summary>On every Kubernetes object: what the backend selects, prunes and stops by.</summary>
    public const string DeploymentIdLabel = "slipway.io/deployment-id";

    public const string StackLabel = "slipway.io/stack";

    /// <summary>On Deployments, their pod templates and Services: the pod (compose file) they come from.</summary>
    public const string PodLabel = "slipway.io/pod";

    /// <summary>On NodePort Services: the compose service whose ports they publish.</summary>
    public const string ServiceLabel = "slipway.io/service";

    public const string JobLabel = "slipway.io/job";

    public const string VolumeLabel = "slipway.io/volume";

    /// <summary>On the Namespace: the deployment directory that owns it.</summary>
    public const string OwnerAnnotation = "slipway.io/owner";

    /// <summary>laconic-so's owner annotation on the Namespace; read so that its namespaces are recognised as owned.</summary>
    public const string LaconicOwnerAnnotation = "laconic.com/deployment-dir";

    /// <summary>On pod templates: the keyed hash of the configuration the pod consumes.</summary>
    public const string ConfigHashAnnotation = "slipway.io/config-hash";

    /// <summary>On a spec configmap: the folder of D (relative) its content is read from at every start.</summary>
    public const string ConfigMapFolderAnnotation = "slipway.io/configmap-folder";

    /// <summary>On pod templates: the digest of the D-folder ConfigMaps the pod mounts, worked out again at every start.</summary>
    public const string ConfigMapDigestAnnotation = "slipway.io/configmap-digest";

    /// <summary>On ConfigMaps made from host files: the bind source they were read from.</summary>
    public const string SourceAnnotation = "slipway.io/source";

    /// <summary>On an external-services EndpointSlice of the selector form: <c>NAMESPACE/label=value,...</c>, whose pods' addresses start puts in.</summary>
    public const string ExternalSelectorAnnotation = "slipway.io/external-selector";

    /// <summary>On the Ingress with maintenance-service: <c>SERVICE:PORT</c> (the maintenance pod's ClusterIP Service) restart points every path at while it replaces the other pods.</summary>
    public const string MaintenanceBackendAnnotation = "slipway.io/maintenance-backend";

    /// <summary>On compose services: the hash of the config files the service binds.</summary>
    public const string ComposeConfigHashLabel = "io.slipway.config-hash";
}
