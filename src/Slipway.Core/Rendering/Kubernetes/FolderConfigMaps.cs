using System.Security.Cryptography;
using System.Text;
using Slipway.Core.Files;
using Slipway.Core.Kubernetes;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>What one folder of files makes a ConfigMap hold: UTF-8 text under data, anything else base64 under binaryData.</summary>
public sealed record ConfigMapContent(IReadOnlyList<KeyValuePair<string, string>> Data, IReadOnlyList<KeyValuePair<string, string>> BinaryData, bool AnyExecutable)
{
    public static readonly ConfigMapContent Empty = new([], [], false);

    /// <summary>SHA-256 over every key and value (content is no secret: whoever may read the pod spec may usually read the ConfigMap).</summary>
    public string Digest
    {
        get
        {
            var text = new StringBuilder();
            foreach (var (key, value) in Data) text.Append(Field("d")).Append(Field(key)).Append(Field(value));
            foreach (var (key, value) in BinaryData) text.Append(Field("b")).Append(Field(key)).Append(Field(value));
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }
    }

    private static string Field(string text) => $"{text.Length}:{text};";
}

/// <summary>
/// Spec configmaps, laconic-so's way: the ConfigMap is made from a folder of D (<c>D/configmaps/&lt;name&gt;</c>) as it is
/// when the deployment starts, so the operator puts files there after create. deploy create renders the content it sees
/// then; start reads the folder again (<see cref="Read"/>), replaces the content and, through
/// <see cref="SlipwayLabels.ConfigMapDigestAnnotation"/>, rolls exactly the pods that mount a changed one.
/// </summary>
public static class FolderConfigMaps
{
    /// <summary>The folder's files as ConfigMap content, or an error (a missing folder, subfolders, over budget, a bad key).</summary>
    public static ConfigMapContent? Read(HostPathEntry entry, string what, out string? error)
    {
        error = null;
        if (entry.Kind != HostPathKind.Directory)
        {
            error = entry.Kind == HostPathKind.Missing ? $"{what} does not exist" : $"{what} is a file; a configmap source is a folder of files";
            return null;
        }

        if (entry.Subdirectories is { Count: > 0 } subdirectories)
        {
            error = $"{what} contains subdirectories ({string.Join(", ", subdirectories)}); a ConfigMap holds the top-level files of one folder";
            return null;
        }

        return FromFiles(entry.Files!, what, out error);
    }

    /// <summary>Files as ConfigMap content; null (with the reason) over budget or with a name that cannot be a key.</summary>
    public static ConfigMapContent? FromFiles(IReadOnlyList<HostFile> files, string what, out string? error)
    {
        error = null;
        var total = files.Sum(f => f.Size);
        if (total > KubernetesRenderer.ConfigMapBudget)
        {
            error = $"{what} holds {total} bytes, exceeding the ConfigMap budget of {KubernetesRenderer.ConfigMapBudget} bytes (700 KiB); use a volume for large content";
            return null;
        }

        var data = new List<KeyValuePair<string, string>>();
        var binary = new List<KeyValuePair<string, string>>();
        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (!KubeNames.IsConfigKey(file.Name))
            {
                error = $"{what}: file name '{file.Name}' cannot be a ConfigMap key (letters, digits, '-', '_', '.')";
                return null;
            }

            var bytes = file.Read();
            if (IsText(bytes)) data.Add(new(file.Name, Encoding.UTF8.GetString(bytes)));
            else binary.Add(new(file.Name, Convert.ToBase64String(bytes)));
        }

        return new ConfigMapContent(data, binary, files.Any(f => f.Executable));
    }

    /// <summary>A pod template's <see cref="SlipwayLabels.ConfigMapDigestAnnotation"/>: one digest over the (name, content digest) of every folder ConfigMap it mounts.</summary>
    public static string TemplateDigest(IEnumerable<(string Name, string Digest)> mounted) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(
            mounted.OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => $"{m.Name.Length}:{m.Name};{m.Digest};")))));

    internal static bool IsText(byte[] bytes)
    {
        try
        {
            var text = new UTF8Encoding(false, true).GetString(bytes);
            return !text.Any(c => char.IsControl(c) && c is not '\n' and not '\t' and not '\r');
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
