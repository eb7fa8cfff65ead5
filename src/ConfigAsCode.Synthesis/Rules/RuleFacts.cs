using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace ConfigAsCode.Synthesis.Rules;

/// <summary>
/// The facts rules decide with, defined once for the build-time validator and the analyzer (which compiles this
/// file as source, like <see cref="RuleCatalog"/>), so the two can never disagree on what a pinned revision or a
/// baseline capability is. BCL only.
/// </summary>
public static class RuleFacts
{
    /// <summary>Capabilities the Kubernetes "baseline" pod-security profile allows to be added (CAC2006).</summary>
    public static IReadOnlyCollection<string> BaselineCapabilities { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
        "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    /// <summary>Tags every release moves (CAC5001), compared without regard to case.</summary>
    public static IReadOnlyList<string> MutableTags { get; } = ["latest", "main", "master", "nightly", "dev", "stable", "edge"];

    /// <summary>
    /// GPUs per node of each <c>GpuCatalog</c> member, by member name, for the analyzer's CAC3014 (it sees the member,
    /// not its value). A test keeps this equal to <c>GpuKind.GpusPerNode</c> of the catalog.
    /// </summary>
    public static IReadOnlyDictionary<string, int> GpusPerNode { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["H100_80GB"] = 8, ["H100_NVL"] = 8, ["H200"] = 8, ["B200"] = 8, ["MI300X"] = 8,
        ["A100_80GB"] = 8, ["A100_40GB"] = 8, ["L40S"] = 8, ["L4"] = 8, ["A10G"] = 8, ["T4"] = 8,
    };

    /// <summary>The shortest suppression justification accepted (<c>RuleSuppression.MinimumJustificationLength</c>; a test holds them equal).</summary>
    public const int MinimumJustificationLength = 10;

    /// <summary>The largest traffic step, in percentage points, a rollout may take before CAC1016 fires.</summary>
    public const int MaxWeightStep = 50;

    /// <summary>
    /// The startup budget of the model's default probes, in seconds: <c>HealthProbes.DefaultLoadAllowance</c> (15
    /// minutes) polled every <see cref="StartupPeriodSeconds"/>. A test holds these equal to the model's values.
    /// </summary>
    public const double DefaultLoadAllowanceSeconds = 900;

    /// <summary>The period of the startup probe <c>HealthProbes.StartupFor</c> builds.</summary>
    public const int StartupPeriodSeconds = 10;

    /// <summary>The defaults of a <c>Probe</c> record: initial delay, period, timeout, failure and success thresholds.</summary>
    public const int ProbeInitialDelaySeconds = 0, ProbePeriodSeconds = 10, ProbeTimeoutSeconds = 5, ProbeFailureThreshold = 3, ProbeSuccessThreshold = 1;

    private static readonly Regex EnvVarName = new("^[-._a-zA-Z][-._a-zA-Z0-9]*\\z", RegexOptions.CultureInvariant);
    private static readonly Regex CommitSha = new("^[0-9a-f]{40}\\z", RegexOptions.CultureInvariant);
    private static readonly Regex LabelValue = new("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\\z", RegexOptions.CultureInvariant);
    private static readonly Regex ImageDigest = new("^sha256:[0-9a-f]{64}\\z", RegexOptions.CultureInvariant);

    // "a" before a vowel-initial word or an acronym read letter by letter from a vowel sound ("an AWS", "an SSH");
    // "a URL", "a user-info" keep "a".
    private static readonly Regex ArticleBeforeVowelSound = new(@"\ba (?=[AEIOaeio]|(?:[FHLMNRSX][A-Z0-9]))", RegexOptions.CultureInvariant);

    /// <summary>
    /// Namespaces a deployment must never use (CAC2008): <c>default</c> has no quota, policy or owner, and the
    /// <c>kube-</c> namespaces belong to the cluster (a rendered Namespace object would relabel them).
    /// </summary>
    public static bool IsReservedNamespace(string? name) =>
        name is not null && (string.Equals(name, "default", StringComparison.Ordinal) || name.StartsWith("kube-", StringComparison.Ordinal));

    /// <summary>
    /// An environment variable name the Kubernetes API server accepts everywhere (<c>IsEnvVarName</c>: letters,
    /// digits, '_', '-', '.', not starting with a digit). Names with '=' or spaces are rejected by every version.
    /// </summary>
    public static bool IsEnvVarName(string? name) => name is { Length: > 0 } && EnvVarName.IsMatch(name);

    /// <summary>A model revision pinned to a commit: 40 lower-case hex digits (CAC2009, CAC5003).</summary>
    public static bool IsPinnedRevision(string? revision) => revision is not null && CommitSha.IsMatch(revision);

    /// <summary>A content digest as a pinned image needs it: <c>sha256:</c> and 64 lower-case hex digits (CAC5002).</summary>
    public static bool IsImageDigest(string? digest) => digest is not null && ImageDigest.IsMatch(digest);

    /// <summary>
    /// How long a probe tolerates a pod that does not answer before it acts, in seconds: initial delay + period x
    /// failure threshold (the kubelet restarts the container after that many consecutive failures). Computed in
    /// double so that no int or TimeSpan can overflow.
    /// </summary>
    public static double ProbeToleranceSeconds(double initialDelaySeconds, double periodSeconds, double failureThreshold) =>
        initialDelaySeconds + (periodSeconds * failureThreshold);

    /// <summary>The tolerance of <c>HealthProbes.StartupFor(loadTime)</c>: a 10 s period and ceil(load / 10) failures, at least one.</summary>
    public static double StartupForToleranceSeconds(double loadSeconds) =>
        StartupPeriodSeconds * Math.Min(Math.Max(Math.Ceiling(loadSeconds / StartupPeriodSeconds), 1), int.MaxValue); // no Math.Clamp: the analyzers build this file for netstandard2.0

    /// <summary>
    /// Why the literal <paramref name="value"/> of environment variable <paramref name="name"/> is a secret, or null:
    /// <see cref="Secrets.SecretDetector.Explain"/> with its indefinite articles corrected ("an OpenAI API key").
    /// Never quotes the value.
    /// </summary>
    public static string? SecretLiteralReason(string? name, string? value) =>
        Secrets.SecretDetector.Explain(name, value) is { } reason ? ArticleBeforeVowelSound.Replace(reason, "an ") : null;

    /// <summary>
    /// The objectives no engine can meet, or that are not objectives at all, of one <c>ServiceLevelObjectives</c>
    /// (CAC1021): each as (property, message). Values are seconds and ratios; null when not declared. The model-free
    /// part of the rule, shared by the analyzer and the validator; the validator adds the hardware floor.
    /// </summary>
    public static IReadOnlyList<(string Property, string Message)> ImpossibleObjectives(double? availability, double? maxErrorRate, double? p95LatencySeconds, double? p99LatencySeconds, double? p95TimeToFirstTokenSeconds)
    {
        var problems = new List<(string, string)>();
        if (availability is { } a)
        {
            if (a >= 1 && !double.IsInfinity(a))
            {
                problems.Add(("Availability", $"an availability of {Ratio(a)} leaves no error budget: a single failed request or node drain breaks it, so its alerts fire for ever. Use a target below 1, for example 0.999."));
            }
            else if (!(a > 0 && a < 1))
            {
                problems.Add(("Availability", $"{Ratio(a)} is not an availability: it must be a ratio in (0, 1), and no alert is generated for it. Use a target such as 0.999."));
            }
        }

        if (maxErrorRate is { } e)
        {
            if (e == 0)
            {
                problems.Add(("MaxErrorRate", "an error rate of 0 leaves no error budget: a single failed request breaks it, so its alerts fire for ever. Use a ratio above 0, for example 0.01."));
            }
            else if (!(e > 0 && e < 1))
            {
                problems.Add(("MaxErrorRate", $"{Ratio(e)} is not an error ratio: it must be in (0, 1), and no alert is generated for it. Use a ratio such as 0.01."));
            }
        }

        foreach (var (property, seconds) in new[] { ("P95Latency", p95LatencySeconds), ("P99Latency", p99LatencySeconds), ("P95TimeToFirstToken", p95TimeToFirstTokenSeconds) })
        {
            if (seconds is { } s && !(s > 0))
            {
                problems.Add((property, $"a latency objective of {Seconds(s)} s cannot be met: no request completes in no time. Set a positive duration."));
            }
        }

        if (p95LatencySeconds is > 0 && p99LatencySeconds is > 0 && p99LatencySeconds < p95LatencySeconds)
        {
            problems.Add(("P99Latency", $"the p99 latency objective ({Seconds(p99LatencySeconds.Value)} s) is below the p95 one ({Seconds(p95LatencySeconds.Value)} s), but the 99th percentile is never below the 95th. Set P99Latency at or above P95Latency."));
        }

        if (p95LatencySeconds is > 0 && p95TimeToFirstTokenSeconds is > 0 && p95LatencySeconds < p95TimeToFirstTokenSeconds)
        {
            problems.Add(("P95Latency", $"the p95 end-to-end latency objective ({Seconds(p95LatencySeconds.Value)} s) is below the p95 time to first token ({Seconds(p95TimeToFirstTokenSeconds.Value)} s), but every request takes at least its time to first token. Set P95Latency at or above P95TimeToFirstToken."));
        }

        return problems;
    }

    /// <summary>
    /// The batch limits vLLM refuses at start-up (CAC3019), each as (property, message): <c>max_num_seqs</c> or
    /// <c>max_num_batched_tokens</c> below 1 (<c>SchedulerConfig</c> fields are <c>ge=1</c>), and
    /// <c>max_num_batched_tokens &lt; max_num_seqs</c> (<c>SchedulerConfig.verify_max_model_len</c> in
    /// <c>vllm/config/scheduler.py</c>). Null values are not checked. <paramref name="seqsDefault"/> and
    /// <paramref name="tokensDefault"/> say where a value came from when vLLM picks it (for example "vLLM 0.6.4's
    /// default on L4"), null when declared. Shared by the analyzer (declared constants) and the validator (which also
    /// resolves the defaults); the max_model_len condition without chunked prefill is CAC3015's.
    /// </summary>
    public static IReadOnlyList<(string Property, string Message)> ImpossibleVllmBatchLimits(int? maxNumSeqs, int? maxNumBatchedTokens, string? seqsDefault = null, string? tokensDefault = null)
    {
        var problems = new List<(string, string)>();
        if (maxNumSeqs is < 1 && seqsDefault is null)
        {
            problems.Add(("MaxNumSeqs", FormattableString.Invariant($"max-num-seqs is {maxNumSeqs}; vLLM refuses a value below 1 (max_num_seqs must be >= 1) and does not start. Set MaxNumSeqs to at least 1, the most sequences one engine batches per step.")));
        }

        if (maxNumBatchedTokens is < 1 && tokensDefault is null)
        {
            problems.Add(("MaxNumBatchedTokens", FormattableString.Invariant($"max-num-batched-tokens is {maxNumBatchedTokens}; vLLM refuses a value below 1 (max_num_batched_tokens must be >= 1) and does not start. Set MaxNumBatchedTokens to at least 1, and at least MaxNumSeqs: the tokens one engine processes per step.")));
        }

        if (maxNumSeqs is { } seqs && maxNumBatchedTokens is { } tokens && seqs >= 1 && tokens >= 1 && tokens < seqs)
        {
            var tokensText = tokensDefault is null ? FormattableString.Invariant($"max-num-batched-tokens ({tokens})") : FormattableString.Invariant($"max-num-batched-tokens ({tokens}: left unset, {tokensDefault})");
            var seqsText = seqsDefault is null ? FormattableString.Invariant($"max-num-seqs ({seqs})") : FormattableString.Invariant($"max-num-seqs ({seqs}: left unset, {seqsDefault})");
            var fix = tokensDefault is not null ? FormattableString.Invariant($"Lower MaxNumSeqs to at most {tokens}, or set MaxNumBatchedTokens to at least {seqs}.")
                : seqsDefault is not null ? FormattableString.Invariant($"Set MaxNumSeqs to at most {tokens}, or raise MaxNumBatchedTokens to at least {seqs}.")
                : FormattableString.Invariant($"Raise MaxNumBatchedTokens to at least {seqs}, or lower MaxNumSeqs to at most {tokens}.");
            problems.Add((tokensDefault is not null ? "MaxNumSeqs" : "MaxNumBatchedTokens", FormattableString.Invariant($"{tokensText} is below {seqsText}; vLLM refuses to start: \"max_num_batched_tokens ({tokens}) must be greater than or equal to max_num_seqs ({seqs})\". {fix}")));
        }

        return problems;
    }

    /// <summary>A valid Kubernetes label value: at most 63 characters, alphanumeric at both ends, '-', '_' and '.' inside (CAC4002).</summary>
    public static bool IsLabelValue(string value) => value.Length <= 63 && LabelValue.IsMatch(value);

    /// <summary>
    /// Why an endpoint URL would put a credential into the manifests: a <c>user:password@</c> part, or a token in
    /// the query; null when it carries none. The reason never repeats the credential.
    /// </summary>
    public static string? EndpointCredentials(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        // A user name alone (ssh://git@host) is not a credential; a password is, unless it is a $(VAR) reference that
        // Kubernetes fills from a Secret-backed variable.
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.IndexOf(":", StringComparison.Ordinal) is var colon and >= 0
            && colon < uri.UserInfo.Length - 1 && !Secrets.SecretDetector.IsReference(Uri.UnescapeDataString(uri.UserInfo.Substring(colon + 1))))
        {
            return "the URL has a password in its user-info part (user:password@)";
        }

        var query = url!.IndexOf("?", StringComparison.Ordinal);
        if (query >= 0)
        {
            foreach (var pair in url.Substring(query + 1).Split('&'))
            {
                var equals = pair.IndexOf("=", StringComparison.Ordinal);
                var name = equals < 0 ? pair : pair.Substring(0, equals);
                var value = equals < 0 ? string.Empty : pair.Substring(equals + 1);
                // A URL's signature is its credential: a presigned S3 or GCS URL (X-Amz-Signature, X-Goog-Signature), a
                // CloudFront signed URL (Signature) grants access to whoever holds it until it expires.
                if (value.Length > 0 && (Secrets.SecretDetector.IsSensitiveName(name) || name.EndsWith("signature", StringComparison.OrdinalIgnoreCase) || Secrets.SecretDetector.DetectTokenFormat(value) is not null))
                {
                    return $"the query parameter '{name}' carries a credential";
                }
            }
        }

        return null;
    }

    /// <summary>Seconds as messages write them: invariant, at most three decimals.</summary>
    public static string Seconds(double seconds) => seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static string Ratio(double value) => value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A capability name as the profile lists it: upper case, without <c>CAP_</c>.</summary>
    public static string NormalizeCapability(string capability)
    {
        var normalized = capability.Trim().ToUpperInvariant();
        return normalized.StartsWith("CAP_", StringComparison.Ordinal) ? normalized.Substring(4) : normalized;
    }
}
