using System.Linq;
using Microsoft.CodeAnalysis;

namespace ConfigAsCode.Analyzers;

/// <summary>The ConfigAsCode types, resolved once per compilation; null when the compilation does not reference ConfigAsCode.</summary>
internal sealed class ConfigAsCodeSymbols
{
    private ConfigAsCodeSymbols(Compilation compilation, INamedTypeSymbol deployment)
    {
        Deployment = deployment;
        Vllm = compilation.GetTypeByMetadataName("ConfigAsCode.VllmEngine");
        Tgi = compilation.GetTypeByMetadataName("ConfigAsCode.TgiEngine");
        Triton = compilation.GetTypeByMetadataName("ConfigAsCode.TritonEngine");
        Security = compilation.GetTypeByMetadataName("ConfigAsCode.SecuritySpec");
        Scaling = compilation.GetTypeByMetadataName("ConfigAsCode.ScalingSpec");
        Keda = compilation.GetTypeByMetadataName("ConfigAsCode.KedaScaling");
        ScalingSignal = compilation.GetTypeByMetadataName("ConfigAsCode.ScalingSignal");
        Image = compilation.GetTypeByMetadataName("ConfigAsCode.ContainerImage");
        Probes = compilation.GetTypeByMetadataName("ConfigAsCode.HealthProbes");
        Probe = compilation.GetTypeByMetadataName("ConfigAsCode.Probe");
        EnvVar = compilation.GetTypeByMetadataName("ConfigAsCode.EnvVar");
        SecretReference = compilation.GetTypeByMetadataName("ConfigAsCode.SecretReference");
        Accelerator = compilation.GetTypeByMetadataName("ConfigAsCode.AcceleratorSpec");
        Model = compilation.GetTypeByMetadataName("ConfigAsCode.ModelSpec");
        Resources = compilation.GetTypeByMetadataName("ConfigAsCode.PodResources");
        DisruptionBudget = compilation.GetTypeByMetadataName("ConfigAsCode.DisruptionBudget");
        Cost = compilation.GetTypeByMetadataName("ConfigAsCode.CostAttribution");
        Load = compilation.GetTypeByMetadataName("ConfigAsCode.ExpectedLoad");
        Environment = compilation.GetTypeByMetadataName("ConfigAsCode.DeploymentEnvironment");
        GpuCatalog = compilation.GetTypeByMetadataName("ConfigAsCode.GpuCatalog");
        Suppression = compilation.GetTypeByMetadataName("ConfigAsCode.RuleSuppression");
        RollingUpdate = compilation.GetTypeByMetadataName("ConfigAsCode.RollingUpdate");
        Canary = compilation.GetTypeByMetadataName("ConfigAsCode.CanaryRollout");
        Ramp = compilation.GetTypeByMetadataName("ConfigAsCode.RampRollout");
        Shadow = compilation.GetTypeByMetadataName("ConfigAsCode.ShadowRollout");
        RampStage = compilation.GetTypeByMetadataName("ConfigAsCode.RampStage");
        CanaryStep = compilation.GetTypeByMetadataName("ConfigAsCode.CanaryStep");
        Guardrails = compilation.GetTypeByMetadataName("ConfigAsCode.Guardrails");
        TrafficRouter = compilation.GetTypeByMetadataName("ConfigAsCode.TrafficRouter");
        Observability = compilation.GetTypeByMetadataName("ConfigAsCode.ObservabilitySpec");
        TraceExport = compilation.GetTypeByMetadataName("ConfigAsCode.TraceExport");
        Slos = compilation.GetTypeByMetadataName("ConfigAsCode.ServiceLevelObjectives");
        GpuKind = compilation.GetTypeByMetadataName("ConfigAsCode.GpuKind");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        Resolver = new ValueResolver(compilation);
    }

    /// <summary>Resolves values through constants, readonly fields and single-assignment locals of this compilation.</summary>
    public ValueResolver Resolver { get; }

    public INamedTypeSymbol? Slos { get; }

    public INamedTypeSymbol? GpuKind { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    public INamedTypeSymbol? Observability { get; }

    public INamedTypeSymbol? TraceExport { get; }

    public INamedTypeSymbol? RollingUpdate { get; }

    public INamedTypeSymbol? Canary { get; }

    public INamedTypeSymbol? Ramp { get; }

    public INamedTypeSymbol? Shadow { get; }

    public INamedTypeSymbol? RampStage { get; }

    public INamedTypeSymbol? CanaryStep { get; }

    public INamedTypeSymbol? Guardrails { get; }

    public INamedTypeSymbol? TrafficRouter { get; }

    public INamedTypeSymbol Deployment { get; }

    public INamedTypeSymbol? Vllm { get; }

    public INamedTypeSymbol? Tgi { get; }

    public INamedTypeSymbol? Triton { get; }

    public INamedTypeSymbol? Security { get; }

    public INamedTypeSymbol? Scaling { get; }

    public INamedTypeSymbol? ScalingSignal { get; }

    public INamedTypeSymbol? Keda { get; }

    public INamedTypeSymbol? Image { get; }

    public INamedTypeSymbol? Probes { get; }

    public INamedTypeSymbol? Probe { get; }

    public INamedTypeSymbol? EnvVar { get; }

    public INamedTypeSymbol? SecretReference { get; }

    public INamedTypeSymbol? Accelerator { get; }

    public INamedTypeSymbol? Model { get; }

    public INamedTypeSymbol? Resources { get; }

    public INamedTypeSymbol? DisruptionBudget { get; }

    public INamedTypeSymbol? Cost { get; }

    public INamedTypeSymbol? Load { get; }

    public INamedTypeSymbol? Environment { get; }

    public INamedTypeSymbol? GpuCatalog { get; }

    public INamedTypeSymbol? Suppression { get; }

    public static ConfigAsCodeSymbols? Resolve(Compilation compilation)
    {
        // Looking at reference names first is nearly free; a type lookup would build the symbol tables of every reference.
        if (!compilation.ReferencedAssemblyNames.Any(a => string.Equals(a.Name, "ConfigAsCode", System.StringComparison.Ordinal))
            && !string.Equals(compilation.AssemblyName, "ConfigAsCode", System.StringComparison.Ordinal))
        {
            return null;
        }

        var deployment = compilation.GetTypeByMetadataName("ConfigAsCode.InferenceDeployment");
        return deployment is null ? null : new ConfigAsCodeSymbols(compilation, deployment);
    }

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
}
