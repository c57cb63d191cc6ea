package io.infercore.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * The Fabric8 Kubernetes model classes the kubernetes backend ({@code supervisor.backend=kubernetes})
 * (de)serialises with Jackson, registered for reflection in the native image: nothing more.
 *
 * <p>Why a list: every Fabric8 model jar ships a {@code META-INF/jandex.idx}, so Quarkus indexes
 * all of them, and its Jackson extension registers every class annotated {@code @JsonDeserialize}
 * (every model class is) with all constructors, methods and fields: 5,301 classes of Kubernetes
 * and Gateway API, flow control, dynamic resource allocation..., of which infercore reads a
 * handful. {@code application.properties} removes those indexes
 * ({@code quarkus.class-loading.removed-resources}), and this class names what is left to register:
 * the Jackson-reachable closure (property types, collection and map element types, super types,
 * the serializers named in Jackson annotations) of what the client sends and reads for
 * {@code RunWorkloads} and {@code RunWatch}:
 * <ul>
 *   <li>{@code Deployment} (create, get) and {@code DeploymentList}, {@code Pod} and {@code PodList}
 *       (the informers' list), {@code WatchEvent} (their watch; its object is read by kind, by the
 *       client's {@code KubernetesDeserializer}, into one of these or a {@code Status});</li>
 *   <li>{@code Status} (every refusal, e.g. 409 AlreadyExists, and watch errors), {@code DeleteOptions}
 *       (delete), {@code ListOptions}, {@code GenericKubernetesResource} (an object of an unknown kind);</li>
 *   <li>the kubeconfig file ({@code io.fabric8.kubernetes.api.model.Config}) and the exec credential
 *       plugins' output ({@code io.fabric8.kubernetes.client.Config$ExecCredential}), read when the
 *       gateway runs outside a cluster.</li>
 * </ul>
 * Builders are not listed: Jackson does not use them (the models are plain beans).
 *
 * <p>{@code KubernetesReflectionTest} walks that closure with the client's own {@code ObjectMapper}
 * from the same roots and fails when a class it reaches is missing here; {@code KubernetesBackendIT}
 * runs the backend in the packaged application (and the native executable, with {@code -Dnative}).
 */
@RegisterForReflection(ignoreNested = true, classNames = {
        // io.fabric8.kubernetes.api.builder
        "io.fabric8.kubernetes.api.builder.Editable",
        // io.fabric8.kubernetes.api.model
        "io.fabric8.kubernetes.api.model.AWSElasticBlockStoreVolumeSource", "io.fabric8.kubernetes.api.model.Affinity",
        "io.fabric8.kubernetes.api.model.AnyType", "io.fabric8.kubernetes.api.model.AnyType$Serializer",
        "io.fabric8.kubernetes.api.model.AppArmorProfile", "io.fabric8.kubernetes.api.model.AuthInfo",
        "io.fabric8.kubernetes.api.model.AuthProviderConfig", "io.fabric8.kubernetes.api.model.AzureDiskVolumeSource",
        "io.fabric8.kubernetes.api.model.AzureFileVolumeSource", "io.fabric8.kubernetes.api.model.CSIVolumeSource",
        "io.fabric8.kubernetes.api.model.Capabilities", "io.fabric8.kubernetes.api.model.CephFSVolumeSource",
        "io.fabric8.kubernetes.api.model.CinderVolumeSource", "io.fabric8.kubernetes.api.model.Cluster",
        "io.fabric8.kubernetes.api.model.ClusterTrustBundleProjection", "io.fabric8.kubernetes.api.model.Config",
        "io.fabric8.kubernetes.api.model.ConfigMapEnvSource", "io.fabric8.kubernetes.api.model.ConfigMapKeySelector",
        "io.fabric8.kubernetes.api.model.ConfigMapProjection", "io.fabric8.kubernetes.api.model.ConfigMapVolumeSource",
        "io.fabric8.kubernetes.api.model.Container",
        "io.fabric8.kubernetes.api.model.ContainerExtendedResourceRequest",
        "io.fabric8.kubernetes.api.model.ContainerPort", "io.fabric8.kubernetes.api.model.ContainerResizePolicy",
        "io.fabric8.kubernetes.api.model.ContainerRestartRule",
        "io.fabric8.kubernetes.api.model.ContainerRestartRuleOnExitCodes",
        "io.fabric8.kubernetes.api.model.ContainerState", "io.fabric8.kubernetes.api.model.ContainerStateRunning",
        "io.fabric8.kubernetes.api.model.ContainerStateTerminated",
        "io.fabric8.kubernetes.api.model.ContainerStateWaiting", "io.fabric8.kubernetes.api.model.ContainerStatus",
        "io.fabric8.kubernetes.api.model.ContainerUser", "io.fabric8.kubernetes.api.model.Context",
        "io.fabric8.kubernetes.api.model.DeleteOptions", "io.fabric8.kubernetes.api.model.DownwardAPIProjection",
        "io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile",
        "io.fabric8.kubernetes.api.model.DownwardAPIVolumeSource",
        "io.fabric8.kubernetes.api.model.EmptyDirVolumeSource", "io.fabric8.kubernetes.api.model.EnvFromSource",
        "io.fabric8.kubernetes.api.model.EnvVar", "io.fabric8.kubernetes.api.model.EnvVarSource",
        "io.fabric8.kubernetes.api.model.EphemeralContainer", "io.fabric8.kubernetes.api.model.EphemeralVolumeSource",
        "io.fabric8.kubernetes.api.model.ExecAction", "io.fabric8.kubernetes.api.model.ExecConfig",
        "io.fabric8.kubernetes.api.model.ExecEnvVar", "io.fabric8.kubernetes.api.model.FCVolumeSource",
        "io.fabric8.kubernetes.api.model.FieldsV1", "io.fabric8.kubernetes.api.model.FileKeySelector",
        "io.fabric8.kubernetes.api.model.FlexVolumeSource", "io.fabric8.kubernetes.api.model.FlockerVolumeSource",
        "io.fabric8.kubernetes.api.model.GCEPersistentDiskVolumeSource", "io.fabric8.kubernetes.api.model.GRPCAction",
        "io.fabric8.kubernetes.api.model.GenericKubernetesResource",
        "io.fabric8.kubernetes.api.model.GitRepoVolumeSource", "io.fabric8.kubernetes.api.model.GlusterfsVolumeSource",
        "io.fabric8.kubernetes.api.model.HTTPGetAction", "io.fabric8.kubernetes.api.model.HTTPHeader",
        "io.fabric8.kubernetes.api.model.HasMetadata", "io.fabric8.kubernetes.api.model.HostAlias",
        "io.fabric8.kubernetes.api.model.HostIP", "io.fabric8.kubernetes.api.model.HostPathVolumeSource",
        "io.fabric8.kubernetes.api.model.ISCSIVolumeSource", "io.fabric8.kubernetes.api.model.ImageVolumeSource",
        "io.fabric8.kubernetes.api.model.IntOrString", "io.fabric8.kubernetes.api.model.KeyToPath",
        "io.fabric8.kubernetes.api.model.KubernetesResource", "io.fabric8.kubernetes.api.model.KubernetesResourceList",
        "io.fabric8.kubernetes.api.model.LabelSelector", "io.fabric8.kubernetes.api.model.LabelSelectorRequirement",
        "io.fabric8.kubernetes.api.model.Lifecycle", "io.fabric8.kubernetes.api.model.LifecycleHandler",
        "io.fabric8.kubernetes.api.model.LinuxContainerUser", "io.fabric8.kubernetes.api.model.ListMeta",
        "io.fabric8.kubernetes.api.model.ListOptions", "io.fabric8.kubernetes.api.model.LocalObjectReference",
        "io.fabric8.kubernetes.api.model.ManagedFieldsEntry", "io.fabric8.kubernetes.api.model.NFSVolumeSource",
        "io.fabric8.kubernetes.api.model.NamedAuthInfo", "io.fabric8.kubernetes.api.model.NamedCluster",
        "io.fabric8.kubernetes.api.model.NamedContext", "io.fabric8.kubernetes.api.model.NamedExtension",
        "io.fabric8.kubernetes.api.model.Namespaced", "io.fabric8.kubernetes.api.model.NodeAffinity",
        "io.fabric8.kubernetes.api.model.NodeSelector", "io.fabric8.kubernetes.api.model.NodeSelectorRequirement",
        "io.fabric8.kubernetes.api.model.NodeSelectorTerm", "io.fabric8.kubernetes.api.model.ObjectFieldSelector",
        "io.fabric8.kubernetes.api.model.ObjectMeta", "io.fabric8.kubernetes.api.model.OwnerReference",
        "io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec",
        "io.fabric8.kubernetes.api.model.PersistentVolumeClaimTemplate",
        "io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource",
        "io.fabric8.kubernetes.api.model.PhotonPersistentDiskVolumeSource", "io.fabric8.kubernetes.api.model.Pod",
        "io.fabric8.kubernetes.api.model.PodAffinity", "io.fabric8.kubernetes.api.model.PodAffinityTerm",
        "io.fabric8.kubernetes.api.model.PodAntiAffinity", "io.fabric8.kubernetes.api.model.PodCertificateProjection",
        "io.fabric8.kubernetes.api.model.PodCondition", "io.fabric8.kubernetes.api.model.PodDNSConfig",
        "io.fabric8.kubernetes.api.model.PodDNSConfigOption",
        "io.fabric8.kubernetes.api.model.PodExtendedResourceClaimStatus", "io.fabric8.kubernetes.api.model.PodIP",
        "io.fabric8.kubernetes.api.model.PodList", "io.fabric8.kubernetes.api.model.PodOS",
        "io.fabric8.kubernetes.api.model.PodReadinessGate", "io.fabric8.kubernetes.api.model.PodResourceClaim",
        "io.fabric8.kubernetes.api.model.PodResourceClaimStatus", "io.fabric8.kubernetes.api.model.PodSchedulingGate",
        "io.fabric8.kubernetes.api.model.PodSecurityContext", "io.fabric8.kubernetes.api.model.PodSpec",
        "io.fabric8.kubernetes.api.model.PodStatus", "io.fabric8.kubernetes.api.model.PodTemplateSpec",
        "io.fabric8.kubernetes.api.model.PortworxVolumeSource", "io.fabric8.kubernetes.api.model.Preconditions",
        "io.fabric8.kubernetes.api.model.Preferences", "io.fabric8.kubernetes.api.model.PreferredSchedulingTerm",
        "io.fabric8.kubernetes.api.model.Probe", "io.fabric8.kubernetes.api.model.ProjectedVolumeSource",
        "io.fabric8.kubernetes.api.model.Quantity", "io.fabric8.kubernetes.api.model.Quantity$Deserializer",
        "io.fabric8.kubernetes.api.model.Quantity$Serializer", "io.fabric8.kubernetes.api.model.QuobyteVolumeSource",
        "io.fabric8.kubernetes.api.model.RBDVolumeSource", "io.fabric8.kubernetes.api.model.ResourceClaim",
        "io.fabric8.kubernetes.api.model.ResourceFieldSelector", "io.fabric8.kubernetes.api.model.ResourceHealth",
        "io.fabric8.kubernetes.api.model.ResourceRequirements", "io.fabric8.kubernetes.api.model.ResourceStatus",
        "io.fabric8.kubernetes.api.model.SELinuxOptions", "io.fabric8.kubernetes.api.model.ScaleIOVolumeSource",
        "io.fabric8.kubernetes.api.model.SeccompProfile", "io.fabric8.kubernetes.api.model.SecretEnvSource",
        "io.fabric8.kubernetes.api.model.SecretKeySelector", "io.fabric8.kubernetes.api.model.SecretProjection",
        "io.fabric8.kubernetes.api.model.SecretVolumeSource", "io.fabric8.kubernetes.api.model.SecurityContext",
        "io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection", "io.fabric8.kubernetes.api.model.SleepAction",
        "io.fabric8.kubernetes.api.model.Status", "io.fabric8.kubernetes.api.model.StatusCause",
        "io.fabric8.kubernetes.api.model.StatusDetails", "io.fabric8.kubernetes.api.model.StorageOSVolumeSource",
        "io.fabric8.kubernetes.api.model.Sysctl", "io.fabric8.kubernetes.api.model.TCPSocketAction",
        "io.fabric8.kubernetes.api.model.Toleration", "io.fabric8.kubernetes.api.model.TopologySpreadConstraint",
        "io.fabric8.kubernetes.api.model.TypedLocalObjectReference",
        "io.fabric8.kubernetes.api.model.TypedObjectReference", "io.fabric8.kubernetes.api.model.Volume",
        "io.fabric8.kubernetes.api.model.VolumeDevice", "io.fabric8.kubernetes.api.model.VolumeMount",
        "io.fabric8.kubernetes.api.model.VolumeMountStatus", "io.fabric8.kubernetes.api.model.VolumeProjection",
        "io.fabric8.kubernetes.api.model.VolumeResourceRequirements",
        "io.fabric8.kubernetes.api.model.VsphereVirtualDiskVolumeSource", "io.fabric8.kubernetes.api.model.WatchEvent",
        "io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm",
        "io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions",
        // io.fabric8.kubernetes.api.model.apps
        "io.fabric8.kubernetes.api.model.apps.Deployment", "io.fabric8.kubernetes.api.model.apps.DeploymentCondition",
        "io.fabric8.kubernetes.api.model.apps.DeploymentList", "io.fabric8.kubernetes.api.model.apps.DeploymentSpec",
        "io.fabric8.kubernetes.api.model.apps.DeploymentStatus",
        "io.fabric8.kubernetes.api.model.apps.DeploymentStrategy",
        "io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment",
        // io.fabric8.kubernetes.client
        "io.fabric8.kubernetes.client.Config$ExecCredential", "io.fabric8.kubernetes.client.Config$ExecCredentialSpec",
        "io.fabric8.kubernetes.client.Config$ExecCredentialStatus",
        // io.fabric8.kubernetes.internal
        "io.fabric8.kubernetes.internal.KubernetesDeserializer",
})
public final class KubernetesReflection {

    /** The types the kubernetes backend and the Fabric8 client (de)serialise themselves: the closure's roots. */
    public static final List<String> ROOTS = List.of(
            "io.fabric8.kubernetes.api.model.apps.Deployment", "io.fabric8.kubernetes.api.model.apps.DeploymentList",
            "io.fabric8.kubernetes.api.model.Pod", "io.fabric8.kubernetes.api.model.PodList",
            "io.fabric8.kubernetes.api.model.WatchEvent", "io.fabric8.kubernetes.api.model.Status",
            "io.fabric8.kubernetes.api.model.DeleteOptions", "io.fabric8.kubernetes.api.model.ListOptions",
            "io.fabric8.kubernetes.api.model.GenericKubernetesResource", "io.fabric8.kubernetes.api.model.Config",
            "io.fabric8.kubernetes.client.Config$ExecCredential");

    private KubernetesReflection() {
    }

    /**
     * What the Fabric8 client itself instantiates by reflection rather than through Jackson:
     * {@code KubernetesClientBuilder} loads {@code KubernetesClientImpl} by name and calls its public
     * constructor (without it the native executable stops at start-up with
     * {@code ClassNotFoundException: ...KubernetesClientImpl}, as {@code KubernetesBackendIT} showed),
     * and {@code ResourceHandlerImpl.edit} builds a model's builder from the model's class
     * ({@code DeploymentBuilder(Deployment)}, {@code PodBuilder(Pod)}). Constructors only.
     */
    @RegisterForReflection(methods = false, fields = false, classNames = {
            "io.fabric8.kubernetes.client.impl.KubernetesClientImpl",
            "io.fabric8.kubernetes.api.model.apps.DeploymentBuilder",
            "io.fabric8.kubernetes.api.model.PodBuilder",
    })
    static final class ClientInternals {
        private ClientInternals() {
        }
    }
}
