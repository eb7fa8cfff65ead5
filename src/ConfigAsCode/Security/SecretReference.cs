namespace ConfigAsCode;

/// <summary>A key in a Kubernetes Secret (created by you or by External Secrets). Never a value.</summary>
public sealed record SecretReference
{
    private readonly string _name = string.Empty;
    private readonly string _key = string.Empty;

    /// <summary>References key <paramref name="key"/> of Secret <paramref name="name"/>.</summary>
    public SecretReference(string name, string key)
    {
        Name = name;
        Key = key;
    }

    /// <summary>The Secret's name (a DNS-1123 subdomain).</summary>
    public string Name
    {
        get => _name;
        init => _name = KubernetesName.EnsureSubdomain(value, nameof(Name));
    }

    /// <summary>The key within the Secret: 1-253 letters, digits, '-', '_' or '.' (what the API server accepts in a <c>secretKeyRef</c>).</summary>
    public string Key
    {
        get => _key;
        init => _key = KubernetesName.SecretKeyProblem(value) is { } problem ? throw new System.ArgumentException(problem, nameof(Key)) : value;
    }
}
