using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConfigAsCode.Analyzers;

/// <summary>
/// Reports every rule that can be decided from source on the offending value: object initializers, <c>with</c>
/// expressions and factory calls of the ConfigAsCode model, including rules across one deployment's parts (tensor
/// parallel against the GPU count, production against replicas and digests). Registers nothing in compilations
/// that do not reference ConfigAsCode.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class DeploymentAnalyzer : DiagnosticAnalyzer
{
    private static readonly HashSet<string> NoFp8Gpus = new(StringComparer.Ordinal) { "A100_80GB", "A100_40GB", "A10G", "T4" };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => AnalyzerDescriptors.Static;

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (ConfigAsCodeSymbols.Resolve(start.Compilation) is not { } symbols)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeInitializer(c, symbols), OperationKind.ObjectCreation, OperationKind.With);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, symbols), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, ConfigAsCodeSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (ConfigAsCodeSymbols.Is(method.ContainingType, symbols.EnvVar) && method.Name == "Literal" && invocation.Arguments.Length == 2)
        {
            var name = invocation.Arguments[0].Value.ConstantValue;
            var value = invocation.Arguments[1].Value;
            if (name.HasValue && value.ConstantValue is { HasValue: true, Value: string literal } && SecretDetector.Explain(name.Value as string, literal) is { } reason)
            {
                Report(context, RuleCatalog.SecretLiteral, value.Syntax.GetLocation(), $"{reason}; the value would be stored in plain text in Git. Use EnvVar.FromSecret(\"{name.Value}\", \"<secret-name>\", \"<key>\").",
                    ("name", name.Value as string ?? string.Empty));
            }
        }
        else if (ConfigAsCodeSymbols.Is(method.ContainingType, symbols.CanaryStep))
        {
            AnalyzeCanaryStep(context, invocation);
        }
        else if (ConfigAsCodeSymbols.Is(method.ContainingType, symbols.ScalingSignal) && method.Name == "Cpu")
        {
            Report(context, RuleCatalog.CpuAutoscalingOnGpu, invocation.Syntax.GetLocation(), "GPU inference is not CPU-bound: scale on queue depth, ScalingSignal.QueueDepth(5).");
        }
    }

    private static void AnalyzeInitializer(OperationAnalysisContext context, ConfigAsCodeSymbols symbols)
    {
        // Every object creation in the compilation arrives here: leave foreign types before reading their initializers.
        if (context.Operation.Type?.ContainingAssembly is not { } assembly || !SymbolEqualityComparer.Default.Equals(assembly, symbols.Deployment.ContainingAssembly)
            || Initializer.From(context.Operation) is not { } init)
        {
            return;
        }

        var type = init.Type;
        if (ConfigAsCodeSymbols.Is(type, symbols.Deployment))
        {
            AnalyzeDeployment(context, symbols, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Vllm))
        {
            var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.Operation.Syntax.SyntaxTree);
            var max = options.TryGetValue("configascode.max_gpu_memory_utilization", out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0.95;
            if (Number(init.Constant("GpuMemoryUtilization")) is { } utilization)
            {
                if (!(utilization > 0 && utilization <= 1))
                {
                    Report(context, RuleCatalog.GpuMemoryUtilizationOutOfRange, init.LocationOf("GpuMemoryUtilization"), $"gpu-memory-utilization is {Format(utilization)}; vLLM accepts (0, 1]. Use 0.90.");
                }
                else if (utilization >= max)
                {
                    Report(context, RuleCatalog.GpuMemoryUtilizationTooHigh, init.LocationOf("GpuMemoryUtilization"), $"gpu-memory-utilization {Format(utilization)} is at or above {Format(max)}: warm-up and CUDA-graph capture can run out of memory. Use 0.90.");
                }
            }

            if (init.IsComplete && (!init.Has("MaxNumSeqs") || !init.Has("MaxNumBatchedTokens") || init.IsNull("MaxNumSeqs") || init.IsNull("MaxNumBatchedTokens")))
            {
                Report(context, RuleCatalog.EngineBatchDefaultsUnset, init.Creation.Syntax.GetLocation(), "MaxNumSeqs and MaxNumBatchedTokens must be set: left unset, vLLM picks them by GPU model, so throughput and cost change with the node.");
            }

            if (Int(init.Constant("TensorParallelSize")) is <= 0 || Int(init.Constant("PipelineParallelSize")) is <= 0)
            {
                Report(context, RuleCatalog.ParallelismGpuMismatch, init.LocationOf(Int(init.Constant("TensorParallelSize")) is <= 0 ? "TensorParallelSize" : "PipelineParallelSize"), "tensor and pipeline parallel sizes must be at least 1.");
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Tgi))
        {
            AnalyzeTgi(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.RollingUpdate) || ConfigAsCodeSymbols.Is(type, symbols.Canary) || ConfigAsCodeSymbols.Is(type, symbols.Ramp) || ConfigAsCodeSymbols.Is(type, symbols.Shadow))
        {
            AnalyzeStrategy(context, symbols, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Guardrails))
        {
            AnalyzeGuardrails(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Observability) || ConfigAsCodeSymbols.Is(type, symbols.TraceExport))
        {
            foreach (var property in new[] { "PrometheusUrl", "OtlpEndpoint" })
            {
                if (init.Constant(property) is string url && RuleFacts.EndpointCredentials(url) is { } reason)
                {
                    Report(context, RuleCatalog.EndpointCredentials, init.LocationOf(property), $"{reason}: it would be written into the manifests and committed. Remove it.");
                }
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Security))
        {
            AnalyzeSecurity(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Scaling))
        {
            AnalyzeScaling(context, symbols, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Keda))
        {
            AnalyzeKeda(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Image))
        {
            var hasDigest = init.Has("Digest") && !init.IsNull("Digest");
            if (!hasDigest && (init.IsComplete || init.Has("Tag")))
            {
                var tag = init.Constant("Tag") as string;
                if ((init.IsComplete && (!init.Has("Tag") || init.IsNull("Tag"))) || (tag is not null && RuleFacts.MutableTags.Contains(tag, StringComparer.OrdinalIgnoreCase)))
                {
                    Report(context, RuleCatalog.MutableImageTag, init.Has("Tag") ? init.LocationOf("Tag") : init.Creation.Syntax.GetLocation(),
                        tag is null ? "no tag and no digest: the image resolves to 'latest'. Set a release tag and a digest." : $"tag '{tag}' is moved by every release. Use a release tag and Image.Digest.");
                }
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Probes))
        {
            foreach (var (property, rule) in new[] { ("Readiness", RuleCatalog.ReadinessProbeMissing), ("Startup", RuleCatalog.StartupProbeMissing), ("Liveness", RuleCatalog.LivenessProbeMissing) })
            {
                if (init.IsNull(property))
                {
                    Report(context, rule, init.LocationOf(property), $"no {property.ToLowerInvariant()} probe. Keep the default: {property} = new HealthProbes().{property}.", ("property", property));
                }
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Probe))
        {
            foreach (var property in new[] { "PeriodSeconds", "TimeoutSeconds", "FailureThreshold", "SuccessThreshold" })
            {
                if (Int(init.Constant(property)) is <= 0)
                {
                    Report(context, RuleCatalog.ProbeTimingInvalid, init.LocationOf(property), $"{property} must be positive; Kubernetes rejects the pod otherwise.");
                }
            }

            if (Int(init.Constant("InitialDelaySeconds")) is < 0)
            {
                Report(context, RuleCatalog.ProbeTimingInvalid, init.LocationOf("InitialDelaySeconds"), "InitialDelaySeconds must not be negative.");
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Accelerator))
        {
            if (Int(init.Constant("Nodes")) is <= 0 and var nodes)
            {
                Report(context, RuleCatalog.GpuCountInvalid, init.LocationOf("Nodes"), $"{nodes} nodes per replica: a replica runs on at least 1 node.");
            }

            if (Int(init.Constant("Count")) is <= 0 and var count)
            {
                Report(context, RuleCatalog.GpuCountInvalid, init.LocationOf("Count"), $"{count} GPUs per replica: the count must be at least 1.");
            }
            else if (Int(init.Constant("Count")) is > 0 and var gpus && init.Value("Gpu") is IPropertyReferenceOperation gpu
                && ConfigAsCodeSymbols.Is(gpu.Property.ContainingType, symbols.GpuCatalog) && RuleFacts.GpusPerNode.TryGetValue(gpu.Property.Name, out var perNode) && gpus > perNode)
            {
                Report(context, RuleCatalog.GpusExceedNode, init.LocationOf("Count"), $"{gpus} x {gpu.Property.Name} in one pod, but the largest common node of that GPU has {perNode}: the pod never schedules. Count is GPUs per node: span nodes with Nodes and pipeline parallelism.");
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Model))
        {
            if (init.IsComplete && (!init.Has("Revision") || init.IsNull("Revision")))
            {
                Report(context, RuleCatalog.ModelRevisionUnpinned, init.Creation.Syntax.GetLocation(), "no model revision: every pod start downloads whatever the main branch holds. Pin Revision to a 40-hex commit.");
            }
            else if (init.Constant("Revision") is string revision && !RuleFacts.IsPinnedRevision(revision))
            {
                Report(context, RuleCatalog.ModelRevisionUnpinned, init.LocationOf("Revision"), $"revision '{revision}' is not a commit: branches and tags move. Pin a 40-hex commit.");
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Resources))
        {
            if (init.IsNull("MemoryLimitMiB") || Int(init.Constant("MemoryLimitMiB")) is <= 0)
            {
                Report(context, RuleCatalog.ResourcesMissing, init.LocationOf("MemoryLimitMiB"), "no positive memory limit: a leaking engine takes the node down with it. Set MemoryLimitMiB.");
            }

            foreach (var property in new[] { "CpuRequestMillicores", "MemoryRequestMiB" })
            {
                if (init.IsNull(property) || Int(init.Constant(property)) is <= 0)
                {
                    Report(context, RuleCatalog.ResourcesMissing, init.LocationOf(property), $"{property} must be set and positive.");
                }
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.DisruptionBudget))
        {
            if (Int(init.Constant("MaxUnavailable")) is <= 0)
            {
                Report(context, RuleCatalog.DisruptionBudgetMissing, init.LocationOf("MaxUnavailable"), "MaxUnavailable = 0 blocks every node drain and cluster upgrade. Use 1.");
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Cost))
        {
            foreach (var property in new[] { "Team", "CostCenter" })
            {
                if ((init.IsComplete && !init.Has(property)) || init.IsNull(property) || (init.Constant(property) is string s && s.Trim().Length == 0))
                {
                    Report(context, RuleCatalog.CostAttributionMissing, init.Has(property) ? init.LocationOf(property) : init.Creation.Syntax.GetLocation(), $"no {property}: GPU spend cannot be allocated. Set Cost.{property}.");
                }
            }

            foreach (var property in new[] { "Team", "CostCenter", "Owner" })
            {
                if (init.Constant(property) is string value && value.Trim().Length > 0 && !RuleFacts.IsLabelValue(value))
                {
                    Report(context, RuleCatalog.CostLabelInvalid, init.LocationOf(property), $"'{value}' is not a valid label value: at most 63 letters, digits, '-', '_' or '.', no '/'.");
                }
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Load))
        {
            if (Number(init.Constant("RequestsPerSecond")) is { } rps && !(rps > 0 && !double.IsInfinity(rps)))
            {
                Report(context, RuleCatalog.ExpectedLoadInvalid, init.LocationOf("RequestsPerSecond"), "requests per second must be a positive finite number.");
            }

            foreach (var property in new[] { "InputTokens", "OutputTokens" })
            {
                if (Int(init.Constant(property)) is <= 0)
                {
                    Report(context, RuleCatalog.ExpectedLoadInvalid, init.LocationOf(property), $"{property} must be positive.");
                }
            }

            if (Number(init.Constant("TargetUtilization")) is { } u && !(u > 0 && u <= 1))
            {
                Report(context, RuleCatalog.ExpectedLoadInvalid, init.LocationOf("TargetUtilization"), "target utilisation must be in (0, 1].");
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Suppression) && context.Operation is IObjectCreationOperation { Arguments.Length: 2 } suppression)
        {
            var id = suppression.Arguments[0].Value.ConstantValue;
            var justification = suppression.Arguments[1].Value.ConstantValue;
            var rule = id.HasValue ? RuleCatalog.Find(id.Value as string) : null;
            if (id.HasValue && rule is null)
            {
                Report(context, RuleCatalog.InvalidSuppression, suppression.Arguments[0].Syntax.GetLocation(), $"'{id.Value}' is not a ConfigAsCode rule ID.");
            }
            else if (rule is { RefusesSuppression: true })
            {
                Report(context, RuleCatalog.InvalidSuppression, suppression.Arguments[0].Syntax.GetLocation(), $"{rule.Id} cannot be suppressed. Fix the configuration instead.");
            }
            else if (justification is { HasValue: true, Value: var j } && ((j as string) ?? string.Empty).Trim().Length < 10)
            {
                Report(context, RuleCatalog.InvalidSuppression, suppression.Arguments[1].Syntax.GetLocation(), "a suppression needs a justification of at least 10 characters.");
            }
        }
    }

    private static void AnalyzeDeployment(OperationAnalysisContext context, ConfigAsCodeSymbols symbols, Initializer deployment)
    {
        if (deployment.Constant("Namespace") is string ns && RuleFacts.IsReservedNamespace(ns))
        {
            Report(context, RuleCatalog.DefaultNamespace, deployment.LocationOf("Namespace"), $"'{ns}' has no quota, policy or owner of yours (default) or belongs to the cluster (kube-*). Use a namespace per team or platform, for example 'inference'.");
        }

        if (deployment.IsNull("DisruptionBudget"))
        {
            Report(context, RuleCatalog.DisruptionBudgetMissing, deployment.LocationOf("DisruptionBudget"), "no PodDisruptionBudget: a node drain may evict every replica at once.");
        }

        if (deployment.IsComplete && (!deployment.Has("Cost") || deployment.IsNull("Cost")))
        {
            Report(context, RuleCatalog.CostAttributionMissing, deployment.Has("Cost") ? deployment.LocationOf("Cost") : deployment.Creation.Syntax.GetLocation(), "no cost attribution: set Cost = new() { Team = \"...\", CostCenter = \"...\" }.");
        }

        var production = IsProduction(deployment, symbols);
        AnalyzeDeploymentRollout(context, symbols, deployment, production);
        AnalyzeMultiNode(context, symbols, deployment, production);
        var scaling = deployment.Child("Scaling");
        if (production && scaling is not null && Int(scaling.Constant("MinReplicas")) == 1)
        {
            Report(context, RuleCatalog.SingleReplicaInProduction, scaling.LocationOf("MinReplicas"), "production runs one replica: a node drain or GPU fault takes the model offline. Use at least 2.");
        }

        var image = deployment.Child("Image");
        if (production && image is { IsComplete: true } && (!image.Has("Digest") || image.IsNull("Digest")))
        {
            Report(context, RuleCatalog.ImageDigestMissingInProduction, image.Creation.Syntax.GetLocation(), "production images must be pinned by digest. Set Digest = \"sha256:<64 hex>\".");
        }

        var engine = deployment.Child("Engine");
        var accelerator = deployment.Child("Accelerator");
        if (engine is not null && ConfigAsCodeSymbols.Is(engine.Type, symbols.Vllm))
        {
            var tp = engine.IsComplete ? Int(engine.Constant("TensorParallelSize")) ?? (engine.Has("TensorParallelSize") ? null : 1) : Int(engine.Constant("TensorParallelSize"));
            var pp = engine.IsComplete ? Int(engine.Constant("PipelineParallelSize")) ?? (engine.Has("PipelineParallelSize") ? null : 1) : Int(engine.Constant("PipelineParallelSize")) ?? 1;
            var perNode = accelerator is null ? null : accelerator.IsComplete ? Int(accelerator.Constant("Count")) ?? (accelerator.Has("Count") ? null : 1) : Int(accelerator.Constant("Count"));
            var nodes = accelerator is null ? null : accelerator.IsComplete ? Int(accelerator.Constant("Nodes")) ?? (accelerator.Has("Nodes") ? null : 1) : Int(accelerator.Constant("Nodes"));
            var dp = engine.IsComplete ? Int(engine.Constant("DataParallelSize")) ?? (engine.Has("DataParallelSize") ? null : 1) : Int(engine.Constant("DataParallelSize")) ?? 1;
            var count = perNode is > 0 && nodes is > 0 ? (long)perNode.Value * nodes.Value : (long?)null;
            if (tp is > 0 && pp is > 0 && dp is > 0 && count is > 0 && (long)tp.Value * pp.Value * dp.Value != count)
            {
                // The lightbulb sets TensorParallelSize only where that alone fits the GPUs and keeps tensor parallelism inside a node.
                var others = (long)pp.Value * dp.Value;
                var fix = count.Value % others == 0 ? count.Value / others : 0;
                var fixes = fix > 0 && fix <= int.MaxValue && (nodes == 1 || perNode!.Value % fix == 0)
                    ? new[] { ("tensorParallel", fix.ToString(CultureInfo.InvariantCulture)) }
                    : [];
                Report(context, RuleCatalog.ParallelismGpuMismatch, engine.Has("TensorParallelSize") ? engine.LocationOf("TensorParallelSize") : engine.Creation.Syntax.GetLocation(),
                    nodes > 1 ? $"tensor x pipeline parallel = {(long)tp.Value * pp.Value * dp.Value}, but the replica has {nodes} nodes x {perNode} GPUs = {count}. Keep tensor parallel inside a node: TensorParallelSize = {perNode}, PipelineParallelSize = {nodes}." : $"tensor x pipeline parallel = {(long)tp.Value * pp.Value * dp.Value}, but the replica has {count} GPUs. Set TensorParallelSize = {fix}.",
                    fixes);
            }

            if (tp * pp is > 1)
            {
                var resources = deployment.Child("Resources");
                var hasShm = resources is not null && resources.Has("SharedMemoryMiB") && !resources.IsNull("SharedMemoryMiB") && Int(resources.Constant("SharedMemoryMiB")) is null or > 0;
                if (deployment.IsComplete && !hasShm && (resources is { IsComplete: true } || !deployment.Has("Resources")))
                {
                    Report(context, RuleCatalog.SharedMemoryMissing, resources?.Creation.Syntax.GetLocation() ?? deployment.Creation.Syntax.GetLocation(), $"the instance spans {tp * pp} GPUs and NCCL needs /dev/shm. Set Resources.SharedMemoryMiB, for example 16384.");
                }
            }

            if (engine.Constant("TrustRemoteCode") is true && deployment.Child("Model") is { } model
                && (model.IsComplete ? !(model.Constant("Revision") is string r && RuleFacts.IsPinnedRevision(r)) : model.Constant("Revision") is string r2 && !RuleFacts.IsPinnedRevision(r2)))
            {
                Report(context, RuleCatalog.RemoteCodeUnpinned, engine.LocationOf("TrustRemoteCode"), "trust-remote-code executes the model repository's Python: pin Model.Revision to a 40-hex commit.");
            }

            var quantized = engine.Value("Quantization") is IFieldReferenceOperation { Field.Name: "Fp8" };
            if (quantized && accelerator?.Value("Gpu") is IPropertyReferenceOperation gpu && ConfigAsCodeSymbols.Is(gpu.Property.ContainingType, symbols.GpuCatalog) && NoFp8Gpus.Contains(gpu.Property.Name))
            {
                Report(context, RuleCatalog.Fp8WithoutHardwareSupport, engine.LocationOf("Quantization"), $"{gpu.Property.Name} has no fp8 tensor cores: throughput is lower than planned.");
            }
        }
    }

    private static void AnalyzeTgi(OperationAnalysisContext context, Initializer tgi)
    {
        var input = Int(tgi.Constant("MaxInputTokens"));
        var total = Int(tgi.Constant("MaxTotalTokens"));
        var prefill = Int(tgi.Constant("MaxBatchPrefillTokens"));
        var batch = Int(tgi.Constant("MaxBatchTotalTokens"));
        if (input is { } i && total is { } t && i >= t)
        {
            Report(context, RuleCatalog.TgiTokenBudgetInvalid, tgi.LocationOf("MaxInputTokens"), $"max-input-tokens ({i}) must be below max-total-tokens ({t}).");
        }

        if (total is { } t2 && batch is { } b && t2 > b)
        {
            Report(context, RuleCatalog.TgiTokenBudgetInvalid, tgi.LocationOf("MaxBatchTotalTokens"), $"max-batch-total-tokens ({b}) must be at least max-total-tokens ({t2}).");
        }

        if (input is { } i2 && prefill is { } p && i2 > p)
        {
            Report(context, RuleCatalog.TgiTokenBudgetInvalid, tgi.LocationOf("MaxBatchPrefillTokens"), $"max-batch-prefill-tokens ({p}) must be at least max-input-tokens ({i2}).");
        }

        if (prefill is { } p2 && batch is { } b2 && p2 > b2)
        {
            Report(context, RuleCatalog.TgiTokenBudgetInvalid, tgi.LocationOf("MaxBatchPrefillTokens"), $"max-batch-prefill-tokens ({p2}) must not exceed max-batch-total-tokens ({b2}).");
        }

        if (tgi.IsComplete && (!tgi.Has("MaxBatchTotalTokens") || !tgi.Has("MaxBatchPrefillTokens")))
        {
            Report(context, RuleCatalog.EngineBatchDefaultsUnset, tgi.Creation.Syntax.GetLocation(), "set MaxBatchTotalTokens and MaxBatchPrefillTokens: TGI infers them from free memory at start-up.");
        }
    }

    private static void AnalyzeSecurity(OperationAnalysisContext context, Initializer s)
    {
        if (s.Constant("RunAsNonRoot") is false)
        {
            Report(context, RuleCatalog.RunsAsRoot, s.LocationOf("RunAsNonRoot"), "the container may run as root. Set RunAsNonRoot = true.");
        }

        if (Long(s.Constant("RunAsUser")) == 0)
        {
            Report(context, RuleCatalog.RunsAsRoot, s.LocationOf("RunAsUser"), "UID 0 is root. Use a non-zero RunAsUser.");
        }

        if (s.Constant("Privileged") is true)
        {
            Report(context, RuleCatalog.PrivilegedContainer, s.LocationOf("Privileged"), "a privileged container has every device and capability of the host. GPUs need no privilege.");
        }

        if (s.Constant("AllowPrivilegeEscalation") is true)
        {
            Report(context, RuleCatalog.PrivilegeEscalationAllowed, s.LocationOf("AllowPrivilegeEscalation"), "setuid binaries could gain root. Set AllowPrivilegeEscalation = false.");
        }

        foreach (var name in new[] { "HostNetwork", "HostIpc", "HostPid" })
        {
            if (s.Constant(name) is true)
            {
                Report(context, RuleCatalog.HostNamespaces, s.LocationOf(name), $"{name} = true shares the node's namespace with the engine.");
            }
        }

        if (s.Constant("ReadOnlyRootFilesystem") is false)
        {
            Report(context, RuleCatalog.WritableRootFilesystem, s.LocationOf("ReadOnlyRootFilesystem"), "a writable root filesystem lets an attacker persist inside the container.");
        }

        if (s.Constant("AutomountServiceAccountToken") is true)
        {
            Report(context, RuleCatalog.ServiceAccountTokenMounted, s.LocationOf("AutomountServiceAccountToken"), "an inference server never calls the Kubernetes API; do not mount a token.");
        }

        foreach (var element in Elements(s.Value("AddCapabilities")))
        {
            if (element.ConstantValue is { HasValue: true, Value: string capability })
            {
                if (!RuleFacts.BaselineCapabilities.Contains(RuleFacts.NormalizeCapability(capability)))
                {
                    Report(context, RuleCatalog.CapabilitiesBeyondBaseline, element.Syntax.GetLocation(), $"capability '{capability}' is outside the pod-security baseline.");
                }
            }
        }
    }

    private static void AnalyzeScaling(OperationAnalysisContext context, ConfigAsCodeSymbols symbols, Initializer scaling)
    {
        var min = Int(scaling.Constant("MinReplicas")) ?? (scaling.IsComplete && !scaling.Has("MinReplicas") ? 2 : null);
        var max = Int(scaling.Constant("MaxReplicas")) ?? (scaling.IsComplete && !scaling.Has("MaxReplicas") ? 2 : null);
        AnalyzeKedaScaling(context, symbols, scaling, min, max);
        if (min == 0 && ScaleToZeroAcknowledged(scaling) == false)
        {
            Report(context, RuleCatalog.ScaleToZeroOnGpu, scaling.LocationOf("MinReplicas"), "MinReplicas = 0: the first request after idle waits for a GPU node and a model load.");
        }

        if (min is < 0)
        {
            Report(context, RuleCatalog.ReplicaBoundsInvalid, scaling.LocationOf("MinReplicas"), "replica counts cannot be negative.");
        }

        if (max is < 1)
        {
            Report(context, RuleCatalog.ReplicaBoundsInvalid, scaling.LocationOf("MaxReplicas"), "MaxReplicas must allow at least one replica.");
        }
        else if (min is { } lo && max is { } hi && hi < lo)
        {
            Report(context, RuleCatalog.ReplicaBoundsInvalid, scaling.LocationOf("MaxReplicas"), $"MaxReplicas ({hi}) is below MinReplicas ({lo}).");
        }
    }

    /// <summary>True when the deployment is declared for a production environment, as far as the source says.</summary>
    private static bool IsProduction(Initializer deployment, ConfigAsCodeSymbols symbols)
    {
        var environment = deployment.Value("Environment");
        if (environment is null && deployment.WithOperand is IInvocationOperation { TargetMethod.Name: "In" } overlay && overlay.Arguments.Length > 0)
        {
            environment = Initializer.Unwrap(overlay.Arguments[0].Value);
        }

        return environment switch
        {
            IPropertyReferenceOperation { Property.Name: "Prod" } p => ConfigAsCodeSymbols.Is(p.Property.ContainingType, symbols.Environment),
            IObjectCreationOperation creation => creation.Arguments.Any(a => a.Parameter?.Name == "isProduction" && a.Value.ConstantValue is { HasValue: true, Value: true }),
            _ => false,
        };
    }

    private static IEnumerable<IOperation> Elements(IOperation? operation) => Initializer.Unwrap(operation) switch
    {
        IArrayCreationOperation array => array.Initializer?.ElementValues.Select(e => Initializer.Unwrap(e)!) ?? [],
        ICollectionExpressionOperation collection => collection.Elements.Select(e => Initializer.Unwrap(e)!),
        _ => [],
    };

    private static void Report(OperationAnalysisContext context, RuleDescriptor rule, Location location, string message, params (string Key, string Value)[] properties) =>
        context.ReportDiagnostic(Diagnostic.Create(AnalyzerDescriptors.For(rule), location, properties.ToImmutableDictionary(p => p.Key, p => (string?)p.Value), message));

    private static int? Int(object? value) => value switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        _ => null,
    };

    private static long? Long(object? value) => value switch
    {
        int i => i,
        long l => l,
        _ => null,
    };

    private static double? Number(object? value) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        decimal m => (double)m,
        _ => null,
    };

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
