using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tool.Import;

/// <summary>
/// One Kubernetes object of the input: where it was read (the file as the user named it, the line of its document,
/// and Helm's <c># Source:</c> template when the file is <c>helm template</c> output) and the environment its folder
/// or the command line gives it.
/// </summary>
internal sealed record SourceObject(string File, int Line, string? HelmSource, string? FolderEnvironment, YamlMappingNode Node)
{
    public string Kind => Yaml.Text(Node, "kind") ?? string.Empty;

    public string ApiVersion => Yaml.Text(Node, "apiVersion") ?? string.Empty;

    public string Name => Yaml.Text(Yaml.Map(Node, "metadata"), "name") ?? string.Empty;

    public string? Namespace => Yaml.Text(Yaml.Map(Node, "metadata"), "namespace");

    /// <summary>How messages name it: <c>Deployment vllm (templates/deployment.yaml)</c>.</summary>
    public string Describe() => HelmSource is null ? $"{Kind} {Name}" : $"{Kind} {Name} ({HelmSource})";
}
