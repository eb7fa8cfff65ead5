namespace ConfigAsCode.Synthesis.Rules;

/// <summary>The rule ranges: the first digit of a rule ID names its category.</summary>
public enum RuleCategory
{
    /// <summary>CAC1xxx: probes, replicas, disruption budgets, rollout, autoscaling signal.</summary>
    Reliability = 1,

    /// <summary>CAC2xxx: secrets, pod security, network exposure, engine auth, remote code.</summary>
    Security = 2,

    /// <summary>CAC3xxx: KV cache vs memory, parallelism vs GPUs and heads, memory utilisation, context, token budgets, shm.</summary>
    GpuFit = 3,

    /// <summary>CAC4xxx: attribution labels, budgets, cost increases, unpriced resources.</summary>
    Cost = 4,

    /// <summary>CAC5xxx: mutable tags, unpinned digests and revisions, hardware-dependent defaults, environment drift.</summary>
    Reproducibility = 5,

    /// <summary>CAC9xxx: the tool itself: drift gate, user code that threw, bad options.</summary>
    Tool = 9,
}
