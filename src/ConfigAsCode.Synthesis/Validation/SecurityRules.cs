using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Secrets;

namespace ConfigAsCode.Synthesis.Validation;

/// <summary>CAC2xxx: secrets, pod security, network exposure, engine auth and remote code.</summary>
internal static class SecurityRules
{
    public static IReadOnlyList<DeploymentRule> All { get; } =
    [
        new(RuleCatalog.SecretLiteral, c =>
        {
            foreach (var secret in c.Secrets.Where(s => s.Rule == RuleCatalog.SecretLiteral))
            {
                var name = secret.PropertyPath.Substring(4, secret.PropertyPath.Length - "Env[].Value".Length);
                c.Report($"Env[{name}]", $"{secret.Reason}. The value is redacted here and in every output ({secret.Placeholder}); it would be stored in plain text in Git. Use EnvVar.FromSecret(\"{name}\", \"<secret-name>\", \"<key>\").");
            }
        }),
        new(RuleCatalog.EndpointCredentials, c =>
        {
            foreach (var secret in c.Secrets.Where(s => s.Rule == RuleCatalog.EndpointCredentials))
            {
                c.Report(secret.PropertyPath, $"{secret.Reason}: it would be written into the manifests and committed (redacted here as {secret.Placeholder}). Remove it and authenticate through the network path or a Secret the collector, controller or engine reads.");
            }
        }),
        new(RuleCatalog.CredentialInSetting, c =>
        {
            foreach (var secret in c.Secrets.Where(s => s.Rule == RuleCatalog.CredentialInSetting))
            {
                c.Report(secret.PropertyPath, $"{secret.Reason}: it would be written into the manifests and committed (redacted here as {secret.Placeholder}). Store the credential in a Kubernetes Secret and pass it with EnvVar.FromSecret(...).");
            }
        }),
        new(RuleCatalog.RunsAsRoot, c =>
        {
            var s = c.Deployment.Security;
            if (s is null)
            {
                c.Report("Security", "Security is null. Remove the assignment to use the restricted defaults.");
            }
            else if (!s.RunAsNonRoot || s.RunAsUser == 0)
            {
                var path = s.RunAsUser == 0 ? "Security.RunAsUser" : "Security.RunAsNonRoot";
                c.Report(path, "the container may run as root: a compromised engine owns the container and its GPU driver interface. Set RunAsNonRoot = true and a non-zero RunAsUser.");
            }
        }),
        new(RuleCatalog.PrivilegedContainer, c =>
        {
            if (c.Deployment.Security?.Privileged == true)
            {
                c.Report("Security.Privileged", "a privileged container has every device and capability of the host. GPUs need no privilege: the device plugin mounts them. Set Privileged = false.");
            }
        }),
        new(RuleCatalog.PrivilegeEscalationAllowed, c =>
        {
            if (c.Deployment.Security?.AllowPrivilegeEscalation == true)
            {
                c.Report("Security.AllowPrivilegeEscalation", "setuid binaries could gain root. Set AllowPrivilegeEscalation = false.");
            }
        }),
        new(RuleCatalog.HostNamespaces, c =>
        {
            var s = c.Deployment.Security;
            if (s is null)
            {
                return;
            }

            foreach (var (on, name) in new[] { (s.HostNetwork, "HostNetwork"), (s.HostIpc, "HostIpc"), (s.HostPid, "HostPid") })
            {
                if (on)
                {
                    c.Report("Security." + name, $"{name} = true shares the node's namespace with the engine. Multi-GPU instances need /dev/shm (Resources.SharedMemoryMiB), not host IPC. Set {name} = false.");
                }
            }
        }),
        new(RuleCatalog.CapabilitiesBeyondBaseline, c =>
        {
            var added = c.Deployment.Security?.AddCapabilities ?? [];
            foreach (var capability in added.Where(cap => !RuleFacts.BaselineCapabilities.Contains(RuleFacts.NormalizeCapability(cap ?? string.Empty))).Distinct(StringComparer.Ordinal))
            {
                c.Report("Security.AddCapabilities", $"capability '{capability}' is outside the pod-security baseline. Remove it; inference engines need none.");
            }
        }),
        new(RuleCatalog.WritableRootFilesystem, c =>
        {
            if (c.Deployment.Security is { ReadOnlyRootFilesystem: false })
            {
                c.Report("Security.ReadOnlyRootFilesystem", "a writable root filesystem lets an attacker persist inside the container. Set ReadOnlyRootFilesystem = true; caches go to mounted volumes.");
            }
        }),
        new(RuleCatalog.DefaultNamespace, c =>
        {
            if (string.Equals(c.Deployment.Namespace, "default", StringComparison.Ordinal))
            {
                c.Report("Namespace", "the 'default' namespace has no quota, policy or ownership boundary. Use a namespace per team or platform, for example 'inference'.");
            }
            else if (RuleFacts.IsReservedNamespace(c.Deployment.Namespace))
            {
                c.Report("Namespace", $"'{c.Deployment.Namespace}' belongs to the cluster itself: its Namespace object would be relabelled (pod security, cost labels) and system pods broken. Use a namespace per team or platform, for example 'inference'.");
            }
        }),
        new(RuleCatalog.RemoteCodeUnpinned, c =>
        {
            if (c.Deployment.Engine?.TrustsRemoteCode == true && !ReproducibilityRules.IsPinnedRevision(c.Deployment.Model?.Revision))
            {
                c.Report("Model.Revision", "trust-remote-code executes whatever Python the model repository serves next. Pin Model.Revision to a 40-hex commit, or turn TrustRemoteCode off.");
            }
        }),
        new(RuleCatalog.UnauthenticatedEngineExposed, c =>
        {
            var network = c.Deployment.Security?.Network;
            if (network is not { AllowIngressFromAnywhere: true })
            {
                return;
            }

            var authenticated = c.Deployment.Engine is VllmEngine { ApiKey: not null };
            if (!authenticated)
            {
                c.Report("Security.Network.AllowIngressFromAnywhere", "the engine accepts requests from anywhere and has no API key: anyone who reaches it spends your GPUs. Restrict AllowIngressFromNamespaces, or set VllmEngine.ApiKey (it protects only /v1, /v2 and /inference).");
            }
        }),
        new(RuleCatalog.DevModeInProduction, c =>
        {
            if (!c.IsProduction)
            {
                return;
            }

            foreach (var variable in c.Deployment.Env ?? [])
            {
                if (variable is null)
                {
                    continue;
                }

                if (string.Equals(variable.Name, "VLLM_SERVER_DEV_MODE", StringComparison.Ordinal) && IsTruthy(variable.Value))
                {
                    c.Report($"Env[{variable.Name}]", "VLLM_SERVER_DEV_MODE exposes unauthenticated development endpoints (reset cache, sleep, collective RPC). Remove it from production.");
                }
                else if (string.Equals(variable.Name, "VLLM_TORCH_PROFILER_DIR", StringComparison.Ordinal))
                {
                    c.Report($"Env[{variable.Name}]", "VLLM_TORCH_PROFILER_DIR enables the /start_profile and /stop_profile endpoints. Remove it from production.");
                }
            }
        }),
        new(RuleCatalog.ServiceAccountTokenMounted, c =>
        {
            if (c.Deployment.Security?.AutomountServiceAccountToken == true)
            {
                c.Report("Security.AutomountServiceAccountToken", "an inference server never calls the Kubernetes API; a mounted token only helps an attacker. Set AutomountServiceAccountToken = false.");
            }
        }),
    ];

    private static bool IsTruthy(string? value) =>
        value is not null && (value.Trim() == "1" || string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase));
}
