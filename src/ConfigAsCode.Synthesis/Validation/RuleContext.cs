using System;
using System.Collections.Generic;
using ConfigAsCode.Synthesis.Gpu;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Validation;

/// <summary>What a rule sees of one deployment, and where it reports.</summary>
public sealed class RuleContext
{
    private readonly List<RawFinding> _findings = [];
    private GpuFitEstimate? _gpuFit;
    private bool _gpuFitComputed;

    internal RuleContext(InferenceDeployment deployment, RuleOptions options)
    {
        Deployment = deployment;
        Options = options;
        Architecture = deployment.Model?.ResolveArchitecture();
    }

    public InferenceDeployment Deployment { get; }

    public RuleOptions Options { get; }

    /// <summary>The credentials the deployment carries (cached per deployment; the gate redacts the same list).</summary>
    public IReadOnlyList<Secrets.DetectedSecret> Secrets => Synthesis.Secrets.SecretScanner.Scan(Deployment);

    /// <summary>The declared or catalog architecture; null when the model is unknown.</summary>
    public ModelArchitecture? Architecture { get; }

    public bool IsProduction => Deployment.Environment?.IsProduction == true;

    /// <summary>The per-GPU memory estimate of a vLLM deployment, computed once for all rules; null when it cannot be computed.</summary>
    public GpuFitEstimate? GpuFit
    {
        get
        {
            if (!_gpuFitComputed)
            {
                _gpuFit = GpuFitEstimate.For(Deployment, Options);
                _gpuFitComputed = true;
            }

            return _gpuFit;
        }
    }

    internal IReadOnlyList<RawFinding> Findings => _findings;

    /// <summary>The rule fired at <paramref name="propertyPath"/>; the message says how to fix it.</summary>
    public void Report(string propertyPath, string message) =>
        _findings.Add(new RawFinding(propertyPath, message, FindingOutcome.Violation));

    /// <summary>The rule cannot be decided: say which fact is missing and how to supply it.</summary>
    public void Undecided(string propertyPath, string reason) =>
        _findings.Add(new RawFinding(propertyPath, reason, FindingOutcome.Undecided));

    internal void Clear() => _findings.Clear();

    internal readonly record struct RawFinding(string PropertyPath, string Message, FindingOutcome Outcome);
}

/// <summary>A rule over one deployment.</summary>
public sealed class DeploymentRule
{
    private readonly Action<RuleContext> _check;

    public DeploymentRule(RuleDescriptor descriptor, Action<RuleContext> check)
    {
        Descriptor = descriptor;
        _check = check;
    }

    public RuleDescriptor Descriptor { get; }

    internal void Check(RuleContext context) => _check(context);
}

/// <summary>A rule over all deployments at once (shared GPUs, environment drift).</summary>
public sealed class PlatformRule
{
    private readonly Action<IReadOnlyList<InferenceDeployment>, RuleOptions, Action<InferenceDeployment, string, string>> _check;

    public PlatformRule(
        RuleDescriptor descriptor,
        Action<IReadOnlyList<InferenceDeployment>, RuleOptions, Action<InferenceDeployment, string, string>> check)
    {
        Descriptor = descriptor;
        _check = check;
    }

    public RuleDescriptor Descriptor { get; }

    internal void Check(IReadOnlyList<InferenceDeployment> deployments, RuleOptions options, Action<InferenceDeployment, string, string> report) =>
        _check(deployments, options, report);
}
