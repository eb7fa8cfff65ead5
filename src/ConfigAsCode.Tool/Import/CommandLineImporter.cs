using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Secrets;

namespace ConfigAsCode.Tool.Import;

/// <summary>
/// <c>configascode import --vllm-args "..."</c>: one engine command line as a deployment declaration. A command line
/// says nothing about the image, the GPU or the namespace, so those are declared as placeholders and listed.
/// </summary>
internal static class CommandLineImporter
{
    private const string Where = "--vllm-args";

    public static (InferenceDeployment Deployment, IReadOnlyList<ToolMessage> Messages) Import(EngineCommandLine line, string? environment, string? kubernetesNamespace)
    {
        var messages = new List<ToolMessage>();
        void Note(string code, string text) => messages.Add(new ToolMessage(code, Where, 0, text));

        var engineName = line.Kind switch { EngineKind.Vllm => "vLLM", EngineKind.Tgi => "TGI", _ => "Triton" };
        var import = EngineSettingsMapper.Map(line, null);
        foreach (var problem in line.Problems)
        {
            Note(ToolCodes.NotMapped, $"{Printable.Text(problem)}. The declaration runs the engine without it.");
        }

        foreach (var (setting, reason) in import.NotMapped)
        {
            Note(ToolCodes.NotMapped, $"{engineName} setting '{Printable.Setting(setting)}' is not carried: {reason}. The declaration runs without it.");
        }

        foreach (var setting in import.Credentials)
        {
            Note(ToolCodes.CredentialNotCopied, $"{engineName} setting '{setting.Flag}' carries a literal credential; it was not copied. Store it in a Secret and set ApiKey = new SecretReference(\"<secret>\", \"<key>\").");
        }

        if (EngineSettingsMapper.DefaultReplaced(line, import.Engine) is { } replaced)
        {
            Note(ToolCodes.NotMapped, replaced + ".");
        }

        var modelId = import.ModelId;
        if (string.IsNullOrEmpty(modelId))
        {
            Note(ToolCodes.NotMapped, "the command line names no model; declared as 'model'. Set Model.Id.");
            modelId = "model";
        }

        var name = LabelValues.Sanitize(modelId.Replace('.', '-').Replace('_', '-')) ?? "model";
        var ns = kubernetesNamespace;
        if (ns is null)
        {
            Note(ToolCodes.NotMapped, "a command line has no namespace; declared in 'default' (CAC2008 reports it). Pass --namespace <name>.");
            ns = "default";
        }

        var image = line.Kind switch
        {
            EngineKind.Vllm => "vllm/vllm-openai",
            EngineKind.Tgi => "ghcr.io/huggingface/text-generation-inference",
            _ => "nvcr.io/nvidia/tritonserver",
        };
        Note(ToolCodes.NotMapped, $"a command line names no image; declared as {image} without tag or digest (CAC5001/CAC5002 report it). Set Image.Tag and Image.Digest.");
        Note(ToolCodes.NotMapped, "a command line names no GPU; the declaration uses a placeholder GpuKind with no memory or price (never guessed). Use a GpuCatalog entry.");

        var gpu = new GpuKind { Name = "unknown-gpu", MemoryMiB = 0, SupportsFp8 = false, MemoryBandwidthGBps = 0, PriceKey = "unknown-gpu" };
        var deployment = new InferenceDeployment
        {
            Name = name,
            Namespace = ns,
            Environment = EnvironmentNames.ToEnvironment(EnvironmentNames.Canonical(environment) ?? environment ?? "dev"),
            Model = new ModelSpec { Id = modelId, Revision = import.Revision },
            Engine = import.Engine,
            Image = new ContainerImage { Repository = image },
            Accelerator = new AcceleratorSpec { Gpu = gpu, Count = import.Engine.GpusPerInstance },
            Observability = import.OtlpEndpoint is { } otlp ? new ObservabilitySpec { Traces = new TraceExport { OtlpEndpoint = otlp } } : new ObservabilitySpec(),
        };

        foreach (var secret in SecretScanner.Scan(deployment))
        {
            throw new ToolInputException(new ToolMessage(ToolCodes.CredentialNotCopied, Where, 0, $"{secret.PropertyPath}: {secret.Reason}; nothing was printed. Remove the credential from the command line."));
        }

        return (deployment, messages.OrderBy(m => m, Comparer<ToolMessage>.Create(ToolMessage.Compare)).ToArray());
    }
}
