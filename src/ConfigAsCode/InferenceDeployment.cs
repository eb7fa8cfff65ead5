using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace ConfigAsCode;

/// <summary>
/// One model-serving deployment in one environment. Declare a base with an object initializer, then derive
/// each environment with <see cref="In"/> and a <c>with</c> expression, listing the properties that are meant
/// to differ in <see cref="IntendedDifferences"/>:
/// <code>
/// var chat = new InferenceDeployment { Name = "chat", Environment = DeploymentEnvironment.Staging, ... };
/// var prod = chat.In(DeploymentEnvironment.Prod) with
/// {
///     Scaling = chat.Scaling with { MinReplicas = 3, MaxReplicas = 8 },
///     IntendedDifferences = ["Scaling.MinReplicas", "Scaling.MaxReplicas"],
/// };
/// </code>
/// </summary>
public sealed record InferenceDeployment
{
    private readonly string _name = string.Empty;
    private readonly string _namespace = string.Empty;

    /// <summary>
    /// Creates a deployment and records where it was declared. The compiler fills the caller-info
    /// parameters, also for object initializers; do not pass them.
    /// </summary>
    public InferenceDeployment([CallerFilePath] string declaredInFile = "", [CallerLineNumber] int declaredAtLine = 0)
    {
        DeclaredAt = new SourceLocation(declaredInFile ?? string.Empty, declaredAtLine);
    }

    /// <summary>The deployment's name: a DNS-1123 label, used for every generated object and the GitOps folder.</summary>
    public required string Name
    {
        get => _name;
        init => _name = KubernetesName.EnsureLabel(value, nameof(Name));
    }

    /// <summary>The namespace; never <c>default</c> (CAC2008).</summary>
    public required string Namespace
    {
        get => _namespace;
        init => _namespace = KubernetesName.EnsureLabel(value, nameof(Namespace));
    }

    /// <summary>The environment this declaration is for.</summary>
    public required DeploymentEnvironment Environment { get; init; }

    /// <summary>The served model.</summary>
    public required ModelSpec Model { get; init; }

    /// <summary>The engine and its knobs.</summary>
    public required InferenceEngine Engine { get; init; }

    /// <summary>The engine's container image.</summary>
    public required ContainerImage Image { get; init; }

    /// <summary>GPUs per node and nodes per replica.</summary>
    public required AcceleratorSpec Accelerator { get; init; }

    /// <summary>CPU, memory and <c>/dev/shm</c>.</summary>
    public PodResources Resources { get; init; } = new();

    /// <summary>Replica bounds and autoscaling signal.</summary>
    public ScalingSpec Scaling { get; init; } = new();

    /// <summary>The PodDisruptionBudget; null omits it (CAC1007).</summary>
    public DisruptionBudget? DisruptionBudget { get; init; } = new();

    /// <summary>Startup, readiness and liveness probes.</summary>
    public HealthProbes Probes { get; init; } = new();

    /// <summary>The rollout strategy.</summary>
    public RolloutStrategy Rollout { get; init; } = new RollingUpdate();

    /// <summary>Service-level objectives; guardrails and alerts derive from them.</summary>
    public ServiceLevelObjectives? Slos { get; init; }

    /// <summary>Serve through a Gateway API Inference Extension <c>InferencePool</c> and <c>HTTPRoute</c>; null serves through the Service only.</summary>
    public InferencePoolSpec? Pool { get; init; }

    /// <summary>Metrics, logs and traces.</summary>
    public ObservabilitySpec Observability { get; init; } = new();

    /// <summary>Pod security, service account and network policy.</summary>
    public SecuritySpec Security { get; init; } = new();

    /// <summary>
    /// The cluster the deployment runs on: GPU node labels and taints, one cluster per environment or a shared one,
    /// the shared storage class for weight caches, and where the gateway, monitoring and egress proxy run.
    /// </summary>
    public ClusterProfile Cluster { get; init; } = ClusterProfile.Default;

    /// <summary>Environment variables of the engine container.</summary>
    public IReadOnlyList<EnvVar> Env { get; init; } = [];

    /// <summary>Team, cost centre and labels for cost allocation.</summary>
    public CostAttribution? Cost { get; init; }

    /// <summary>The load the deployment is sized for, if known.</summary>
    public ExpectedLoad? Load { get; init; }

    /// <summary>Accepts a cost increase above a budget's threshold for this change (CAC4006), with a reason.</summary>
    public CostIncreaseAcknowledgment? CostIncreaseAcknowledgment { get; init; }

    /// <summary>Rules suppressed for this deployment, each with a justification.</summary>
    public IReadOnlyList<RuleSuppression> Suppressions { get; init; } = [];

    /// <summary>
    /// Property paths (for example <c>Scaling.MinReplicas</c>) that are meant to differ from the same deployment in
    /// other environments. Any other difference is reported as environment drift (CAC5005).
    /// </summary>
    public IReadOnlyList<string> IntendedDifferences { get; init; } = [];

    /// <summary>Where the deployment was declared; diagnostics point here.</summary>
    public SourceLocation DeclaredAt { get; init; }

    /// <summary>
    /// This deployment moved to <paramref name="environment"/>, with its declaration site set to the call,
    /// so diagnostics for the overlay point at the overlay. Chain a <c>with</c> expression for the differences.
    /// </summary>
    public InferenceDeployment In(
        DeploymentEnvironment environment,
        [CallerFilePath] string declaredInFile = "",
        [CallerLineNumber] int declaredAtLine = 0) =>
        this with
        {
            Environment = environment,
            DeclaredAt = new SourceLocation(declaredInFile ?? string.Empty, declaredAtLine),
        };
}
