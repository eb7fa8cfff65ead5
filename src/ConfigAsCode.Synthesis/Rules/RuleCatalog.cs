using System.Collections.Generic;
using System.Linq;

namespace ConfigAsCode.Synthesis.Rules;

/// <summary>
/// Every rule ConfigAsCode knows, defined exactly once. This file has no dependencies beyond the BCL so the
/// analyzer assembly compiles the same source; never define a rule's ID or title anywhere else.
/// </summary>
public static class RuleCatalog
{
    /// <summary>Rule pages live in the repository's <c>docs/rules</c> folder.</summary>
    public const string HelpLinkBase = "https://github.com/configascode/configascode/blob/main/docs/rules/";

    // CAC1xxx reliability
    public static readonly RuleDescriptor ReadinessProbeMissing = new("CAC1001", "Readiness probe is missing", RuleCategory.Reliability, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor StartupProbeMissing = new("CAC1002", "Startup probe is missing", RuleCategory.Reliability, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor LivenessProbeMissing = new("CAC1003", "Liveness probe is missing", RuleCategory.Reliability, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor IdenticalLivenessAndReadiness = new("CAC1004", "Liveness and readiness probes are identical", RuleCategory.Reliability, RuleSeverity.Warning, false);
    public static readonly RuleDescriptor LivenessKillsBeforeModelLoads = new("CAC1005", "Liveness probe can kill the pod before the model has loaded", RuleCategory.Reliability, RuleSeverity.Error, false);
    public static readonly RuleDescriptor SingleReplicaInProduction = new("CAC1006", "Production deployment runs a single replica", RuleCategory.Reliability, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor DisruptionBudgetMissing = new("CAC1007", "Disruption budget is missing or blocks node drains", RuleCategory.Reliability, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor CpuAutoscalingOnGpu = new("CAC1008", "GPU deployment autoscales on CPU", RuleCategory.Reliability, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor ScaleToZeroOnGpu = new("CAC1009", "GPU deployment scales to zero", RuleCategory.Reliability, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor ReplicaBoundsInvalid = new("CAC1010", "Replica bounds or scaling target are invalid", RuleCategory.Reliability, RuleSeverity.Error, true);
    public static readonly RuleDescriptor ResourcesMissing = new("CAC1011", "CPU or memory requests and limits are missing or inconsistent", RuleCategory.Reliability, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor ProbeTimingInvalid = new("CAC1012", "Probe timing is invalid", RuleCategory.Reliability, RuleSeverity.Error, true);
    public static readonly RuleDescriptor ProgressiveRolloutWithoutGuardrails = new("CAC1013", "Production canary or ramp has no guardrails", RuleCategory.Reliability, RuleSeverity.Error, true);
    public static readonly RuleDescriptor GuardrailLooserThanSlo = new("CAC1014", "Rollout guardrail is looser than its SLO", RuleCategory.Reliability, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor IndefinitePause = new("CAC1015", "Automated rollout step pauses indefinitely", RuleCategory.Reliability, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor WeightJumpTooLarge = new("CAC1016", "Rollout moves too much traffic in one step", RuleCategory.Reliability, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor NoRollbackPath = new("CAC1017", "Rollout has no rollback path", RuleCategory.Reliability, RuleSeverity.Error, true);
    public static readonly RuleDescriptor RolloutDefinitionInvalid = new("CAC1018", "Rollout definition is invalid", RuleCategory.Reliability, RuleSeverity.Error, true);
    public static readonly RuleDescriptor ModelLoadExceedsStartupBudget = new("CAC1020", "Model load takes longer than the startup probe allows", RuleCategory.Reliability, RuleSeverity.Error, true);
    public static readonly RuleDescriptor SloCannotBeMet = new("CAC1021", "Service-level objective cannot be met", RuleCategory.Reliability, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor WeightsDownloadedPerPodInProduction = new("CAC1025", "Production pods download the model weights at every start", RuleCategory.Reliability, RuleSeverity.Warning, false);
    public static readonly RuleDescriptor ModelSourceInvalid = new("CAC1026", "Model source or weights cache is invalid", RuleCategory.Reliability, RuleSeverity.Error, false);
    public static readonly RuleDescriptor StartupProbeShorterThanLoad = new("CAC1027", "Startup probe gives up before the model is estimated to load", RuleCategory.Reliability, RuleSeverity.Warning, false);
    public static readonly RuleDescriptor GpuNodeLabelUnknown = new("CAC1028", "No node label selects this GPU on the cluster", RuleCategory.Reliability, RuleSeverity.Error, false);
    public static readonly RuleDescriptor LivenessOnReadinessEndpoint = new("CAC1029", "Liveness probe uses the engine's readiness endpoint", RuleCategory.Reliability, RuleSeverity.Warning, false);
    public static readonly RuleDescriptor MultiNodeRolloutUnsupported = new("CAC1030", "Multi-node replica declares a rollout strategy it cannot use", RuleCategory.Reliability, RuleSeverity.Error, true);
    public static readonly RuleDescriptor ScaleToZeroInProductionUnacknowledged = new("CAC1031", "Production deployment scales to zero without acknowledgment", RuleCategory.Reliability, RuleSeverity.Error, true);
    public static readonly RuleDescriptor CooldownShorterThanModelLoad = new("CAC1032", "Autoscaler cooldown is shorter than the model load", RuleCategory.Reliability, RuleSeverity.Warning, false);
    public static readonly RuleDescriptor KedaScalingInvalid = new("CAC1033", "KEDA scaling definition is invalid", RuleCategory.Reliability, RuleSeverity.Error, true);
    public static readonly RuleDescriptor InferencePoolInvalid = new("CAC1034", "Inference pool or pool canary is invalid", RuleCategory.Reliability, RuleSeverity.Error, false);

    // CAC2xxx security
    public static readonly RuleDescriptor SecretLiteral = new("CAC2001", "Environment variable carries a secret literal", RuleCategory.Security, RuleSeverity.Error, true, RefusesSuppression: true);
    public static readonly RuleDescriptor RunsAsRoot = new("CAC2002", "Container may run as root", RuleCategory.Security, RuleSeverity.Error, true, RefusesSuppression: true);
    public static readonly RuleDescriptor PrivilegedContainer = new("CAC2003", "Container is privileged", RuleCategory.Security, RuleSeverity.Error, true, RefusesSuppression: true);
    public static readonly RuleDescriptor PrivilegeEscalationAllowed = new("CAC2004", "Privilege escalation is allowed", RuleCategory.Security, RuleSeverity.Error, true, RefusesSuppression: true);
    public static readonly RuleDescriptor HostNamespaces = new("CAC2005", "Pod shares a host namespace", RuleCategory.Security, RuleSeverity.Error, true, RefusesSuppression: true);
    public static readonly RuleDescriptor CapabilitiesBeyondBaseline = new("CAC2006", "Container adds capabilities beyond the baseline profile", RuleCategory.Security, RuleSeverity.Error, true, RefusesSuppression: true);
    public static readonly RuleDescriptor WritableRootFilesystem = new("CAC2007", "Root filesystem is writable", RuleCategory.Security, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor DefaultNamespace = new("CAC2008", "Deployment uses the default or a system namespace", RuleCategory.Security, RuleSeverity.Error, true, RefusesSuppression: true);
    public static readonly RuleDescriptor RemoteCodeUnpinned = new("CAC2009", "Remote code is trusted without a pinned model revision", RuleCategory.Security, RuleSeverity.Error, true, RefusesSuppression: true);
    public static readonly RuleDescriptor UnauthenticatedEngineExposed = new("CAC2010", "Engine API is reachable from anywhere without authentication", RuleCategory.Security, RuleSeverity.Warning, false);
    public static readonly RuleDescriptor DevModeInProduction = new("CAC2011", "Engine development or profiling mode is enabled in production", RuleCategory.Security, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor ServiceAccountTokenMounted = new("CAC2012", "Service account token is mounted", RuleCategory.Security, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor EndpointCredentials = new("CAC2013", "Endpoint URL carries credentials", RuleCategory.Security, RuleSeverity.Error, true, RefusesSuppression: true);
    public static readonly RuleDescriptor CredentialInSetting = new("CAC2014", "A setting carries a credential", RuleCategory.Security, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor EndpointBlockedByNetworkPolicy = new("CAC2015", "An endpoint the deployment uses is not allowed by its NetworkPolicy", RuleCategory.Security, RuleSeverity.Error, false);
    public static readonly RuleDescriptor EgressOpenToInternet = new("CAC2016", "Egress is open to the whole internet", RuleCategory.Security, RuleSeverity.Warning, false);
    public static readonly RuleDescriptor NetworkSettingInvalid = new("CAC2017", "A network or cluster setting is invalid", RuleCategory.Security, RuleSeverity.Error, false);
    public static readonly RuleDescriptor NamespacesClash = new("CAC2018", "Deployments of different declarations render into one namespace", RuleCategory.Security, RuleSeverity.Error, false);

    // CAC3xxx GPU and engine fit
    public static readonly RuleDescriptor GpuMemoryUtilizationOutOfRange = new("CAC3001", "gpu-memory-utilization is outside (0, 1]", RuleCategory.GpuFit, RuleSeverity.Error, true);
    public static readonly RuleDescriptor GpuMemoryUtilizationTooHigh = new("CAC3002", "gpu-memory-utilization leaves no headroom", RuleCategory.GpuFit, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor SharedGpuOversubscribed = new("CAC3003", "Deployments sharing a GPU claim more than all of its memory", RuleCategory.GpuFit, RuleSeverity.Error, false);
    public static readonly RuleDescriptor ParallelismGpuMismatch = new("CAC3004", "Tensor x pipeline parallel size differs from the GPU count", RuleCategory.GpuFit, RuleSeverity.Error, true);
    public static readonly RuleDescriptor TensorParallelHeadsMismatch = new("CAC3005", "Tensor parallel size does not divide the attention or KV heads", RuleCategory.GpuFit, RuleSeverity.Error, false);
    public static readonly RuleDescriptor SharedMemoryMissing = new("CAC3006", "Multi-GPU instance has no shared memory", RuleCategory.GpuFit, RuleSeverity.Error, true);
    public static readonly RuleDescriptor ContextLengthExceedsModel = new("CAC3007", "Context length exceeds what the model supports", RuleCategory.GpuFit, RuleSeverity.Error, false);
    public static readonly RuleDescriptor KvCacheTooSmall = new("CAC3008", "KV cache cannot hold one maximum-length sequence", RuleCategory.GpuFit, RuleSeverity.Error, false);
    public static readonly RuleDescriptor ConcurrencyExceedsKvBudget = new("CAC3009", "Concurrency limit is far above what the KV cache holds", RuleCategory.GpuFit, RuleSeverity.Warning, false);
    public static readonly RuleDescriptor ModelArchitectureUnknown = new("CAC3010", "Model architecture is unknown", RuleCategory.GpuFit, RuleSeverity.Warning, false);
    public static readonly RuleDescriptor TgiTokenBudgetInvalid = new("CAC3011", "TGI token budgets break the engine's invariants", RuleCategory.GpuFit, RuleSeverity.Error, true);
    public static readonly RuleDescriptor GpuCountInvalid = new("CAC3012", "GPU count per replica is not positive", RuleCategory.GpuFit, RuleSeverity.Error, true);
    public static readonly RuleDescriptor Fp8WithoutHardwareSupport = new("CAC3013", "fp8 is requested on a GPU without fp8 support", RuleCategory.GpuFit, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor GpusExceedNode = new("CAC3014", "A pod asks for more GPUs than a node of that GPU has", RuleCategory.GpuFit, RuleSeverity.Error, true);
    public static readonly RuleDescriptor BatchedTokensBelowContext = new("CAC3015", "max-num-batched-tokens is below max-model-len where the vLLM version refuses it", RuleCategory.GpuFit, RuleSeverity.Error, false);
    public static readonly RuleDescriptor SlowQuantizationKernel = new("CAC3016", "Quantized weights run on a slow kernel on this GPU", RuleCategory.GpuFit, RuleSeverity.Warning, false);
    public static readonly RuleDescriptor RequestLongerThanContext = new("CAC3017", "Expected requests are longer than the context length the engine runs with", RuleCategory.GpuFit, RuleSeverity.Warning, false);
    public static readonly RuleDescriptor EngineOptionUnsupported = new("CAC3018", "Engine option is not supported by this vLLM version or GPU", RuleCategory.GpuFit, RuleSeverity.Error, false);
    public static readonly RuleDescriptor VllmBatchLimitsInvalid = new("CAC3019", "vLLM batch limits break the engine's invariants", RuleCategory.GpuFit, RuleSeverity.Error, true);
    public static readonly RuleDescriptor TensorParallelSpansNodes = new("CAC3025", "Tensor parallelism spans nodes", RuleCategory.GpuFit, RuleSeverity.Error, true);
    public static readonly RuleDescriptor MultiNodeUnsupported = new("CAC3026", "Multi-node replica cannot run as declared", RuleCategory.GpuFit, RuleSeverity.Error, false);
    public static readonly RuleDescriptor MultiNodeServiceCollision = new("CAC3027", "A multi-node replica's Service takes another deployment's name", RuleCategory.GpuFit, RuleSeverity.Error, false);

    // CAC4xxx cost
    public static readonly RuleDescriptor CostAttributionMissing = new("CAC4001", "Cost attribution labels are missing", RuleCategory.Cost, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor CostLabelInvalid = new("CAC4002", "Cost attribution label is not a valid Kubernetes label", RuleCategory.Cost, RuleSeverity.Error, true);
    public static readonly RuleDescriptor ExpectedLoadInvalid = new("CAC4003", "Expected load is invalid", RuleCategory.Cost, RuleSeverity.Error, true);
    public static readonly RuleDescriptor UnknownPrice = new("CAC4004", "A resource has no price", RuleCategory.Cost, RuleSeverity.Error, false);
    public static readonly RuleDescriptor BudgetExceeded = new("CAC4005", "Monthly cost exceeds a budget", RuleCategory.Cost, RuleSeverity.Error, false);
    public static readonly RuleDescriptor CostIncreaseOverThreshold = new("CAC4006", "Cost increase exceeds the budget's threshold without acknowledgment", RuleCategory.Cost, RuleSeverity.Error, false);
    public static readonly RuleDescriptor LoadExceedsMaxReplicas = new("CAC4008", "Expected load needs more replicas than MaxReplicas allows", RuleCategory.Cost, RuleSeverity.Warning, false);
    public static readonly RuleDescriptor CostBaselineUnreadable = new("CAC4009", "The cost baseline cannot be read", RuleCategory.Cost, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor BudgetCoversNothing = new("CAC4010", "A cost budget covers no deployment", RuleCategory.Cost, RuleSeverity.Error, false);
    public static readonly RuleDescriptor ShadowWithoutCostAcknowledgment = new("CAC4007", "Production shadow rollout has no cost acknowledgment", RuleCategory.Cost, RuleSeverity.Error, true);

    // CAC5xxx reproducibility
    public static readonly RuleDescriptor MutableImageTag = new("CAC5001", "Image is referenced by a mutable tag", RuleCategory.Reproducibility, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor ImageDigestMissingInProduction = new("CAC5002", "Production image is not pinned by digest", RuleCategory.Reproducibility, RuleSeverity.Error, true);
    public static readonly RuleDescriptor ModelRevisionUnpinned = new("CAC5003", "Model revision is not pinned to a commit", RuleCategory.Reproducibility, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor EngineBatchDefaultsUnset = new("CAC5004", "Engine batching knobs are left to hardware-dependent defaults", RuleCategory.Reproducibility, RuleSeverity.Warning, true);
    public static readonly RuleDescriptor EnvironmentDrift = new("CAC5005", "Environments differ where no difference was declared", RuleCategory.Reproducibility, RuleSeverity.Warning, false);

    // CAC9xxx the tool itself: the drift gate and the build
    public static readonly RuleDescriptor SnapshotChanged = new("CAC9001", "Generated output differs from the committed snapshot", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor SnapshotMissing = new("CAC9002", "Generated output has no committed snapshot", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor SnapshotOrphaned = new("CAC9003", "Committed snapshot is no longer generated", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor AcceptRefusedInCi = new("CAC9005", "Accepting snapshot changes is refused in CI", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor ToolFailure = new("CAC9009", "The ConfigAsCode build step could not run", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor GenerationFailed = new("CAC9004", "Generation failed: user code threw", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor RolloutNotRendered = new("CAC9007", "Rollout strategy cannot be rendered by this version", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    // Statically checkable in part: a constant a part refuses on its own (RefusedValues, KubernetesName) as you type; a
    // null part, a Service name, Triton's port collisions, scaling targets, budgets and encodings at build time.
    public static readonly RuleDescriptor NotRenderable = new("CAC9008", "Deployment cannot be rendered", RuleCategory.Tool, RuleSeverity.Error, true, RefusesSuppression: true);
    public static readonly RuleDescriptor DuplicateDeployment = new("CAC9006", "Deployment is declared twice in one environment", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor InvalidSuppression = new("CAC9010", "Suppression is invalid", RuleCategory.Tool, RuleSeverity.Error, true, RefusesSuppression: true);
    public static readonly RuleDescriptor UnsafeFolder = new("CAC9011", "Snapshot or output folder is unsafe to write", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor NoDeployments = new("CAC9012", "No deployments were found", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor AcceptRefused = new("CAC9013", "Accepting snapshot changes is refused", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor HostDidNotComplete = new("CAC9014", "The evaluation did not complete", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor InvalidOption = new("CAC9015", "A ConfigAsCode build property has an invalid value", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor SuppressionExpired = new("CAC9016", "Suppression has expired", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor ObjectRenderedTwice = new("CAC9017", "Two deployments render the same Kubernetes object", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor ConstantOutOfRange = new("CAC9020", "A constant makes the declaration throw when it is evaluated", RuleCategory.Tool, RuleSeverity.Error, true, RefusesSuppression: true);

    // CAC903x: the configascode command-line tool (import, explain); reported on its console, never by a build.
    public static readonly RuleDescriptor ImportInputUnreadable = new("CAC9030", "An import input cannot be read", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor ImportFoundNoWorkload = new("CAC9031", "The import found no vLLM, TGI or Triton workload", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor ImportNotCarried = new("CAC9032", "An imported setting is not carried into the declaration", RuleCategory.Tool, RuleSeverity.Warning, false);
    public static readonly RuleDescriptor ImportCredentialNotCopied = new("CAC9033", "An imported literal credential was not copied", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);
    public static readonly RuleDescriptor ToolArgumentInvalid = new("CAC9034", "A configascode command argument is invalid", RuleCategory.Tool, RuleSeverity.Error, false, RefusesSuppression: true);

    /// <summary>Every rule, ordered by ID.</summary>
    public static IReadOnlyList<RuleDescriptor> All { get; } =
        new[]
        {
            ReadinessProbeMissing, StartupProbeMissing, LivenessProbeMissing, IdenticalLivenessAndReadiness, LivenessKillsBeforeModelLoads,
            SingleReplicaInProduction, DisruptionBudgetMissing, CpuAutoscalingOnGpu, ScaleToZeroOnGpu, ReplicaBoundsInvalid, ResourcesMissing,
            ProbeTimingInvalid, ProgressiveRolloutWithoutGuardrails, GuardrailLooserThanSlo, IndefinitePause, WeightJumpTooLarge, NoRollbackPath,
            RolloutDefinitionInvalid, ModelLoadExceedsStartupBudget, SloCannotBeMet, WeightsDownloadedPerPodInProduction, ModelSourceInvalid,
            StartupProbeShorterThanLoad, GpuNodeLabelUnknown, LivenessOnReadinessEndpoint, MultiNodeRolloutUnsupported, ScaleToZeroInProductionUnacknowledged,
            CooldownShorterThanModelLoad, KedaScalingInvalid, InferencePoolInvalid,
            SecretLiteral, RunsAsRoot, PrivilegedContainer, PrivilegeEscalationAllowed, HostNamespaces, CapabilitiesBeyondBaseline,
            WritableRootFilesystem, DefaultNamespace, RemoteCodeUnpinned, UnauthenticatedEngineExposed, DevModeInProduction,
            ServiceAccountTokenMounted, EndpointCredentials, CredentialInSetting, EndpointBlockedByNetworkPolicy, EgressOpenToInternet,
            NetworkSettingInvalid, NamespacesClash,
            GpuMemoryUtilizationOutOfRange, GpuMemoryUtilizationTooHigh, SharedGpuOversubscribed, ParallelismGpuMismatch,
            TensorParallelHeadsMismatch, SharedMemoryMissing, ContextLengthExceedsModel, KvCacheTooSmall, ConcurrencyExceedsKvBudget,
            ModelArchitectureUnknown, TgiTokenBudgetInvalid, GpuCountInvalid, Fp8WithoutHardwareSupport, GpusExceedNode, BatchedTokensBelowContext,
            SlowQuantizationKernel, RequestLongerThanContext, EngineOptionUnsupported, VllmBatchLimitsInvalid, TensorParallelSpansNodes, MultiNodeUnsupported, MultiNodeServiceCollision,
            CostAttributionMissing, CostLabelInvalid, ExpectedLoadInvalid, UnknownPrice, BudgetExceeded, CostIncreaseOverThreshold, CostBaselineUnreadable,
            ShadowWithoutCostAcknowledgment, LoadExceedsMaxReplicas, BudgetCoversNothing,
            MutableImageTag, ImageDigestMissingInProduction, ModelRevisionUnpinned, EngineBatchDefaultsUnset, EnvironmentDrift,
            SnapshotChanged, SnapshotMissing, SnapshotOrphaned, GenerationFailed, AcceptRefusedInCi, DuplicateDeployment,
            RolloutNotRendered, NotRenderable, ToolFailure, InvalidSuppression, UnsafeFolder, NoDeployments, AcceptRefused, HostDidNotComplete, InvalidOption, SuppressionExpired, ObjectRenderedTwice, ConstantOutOfRange,
            ImportInputUnreadable, ImportFoundNoWorkload, ImportNotCarried, ImportCredentialNotCopied, ToolArgumentInvalid,
        }.OrderBy(r => r.Id, System.StringComparer.Ordinal).ToArray();

    /// <summary>The rule with <paramref name="id"/>, or null.</summary>
    public static RuleDescriptor? Find(string? id) => All.FirstOrDefault(r => string.Equals(r.Id, id, System.StringComparison.Ordinal));
}
