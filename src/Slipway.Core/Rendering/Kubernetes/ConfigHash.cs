using System.Security.Cryptography;
using System.Text;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>
/// A pod template's <see cref="SlipwayLabels.ConfigHashAnnotation"/>: HMAC-SHA256, keyed with the deployment's own
/// secret key, over everything the pod consumes (config keys with their values, env_file entries, the content digests
/// of the ConfigMaps it mounts, the spec Secrets and keys it reads). Any change of those rolls the pod; nothing else does.
/// </summary>
/// <remarks>
/// Keyed because the annotation is readable by anyone who may read Deployments: a plain digest over values would let
/// them test guesses of a low-entropy secret offline, while without the key the hash tells only "changed or not". The
/// key is an input of the render (Core stays pure); deploy create keeps it in D/.slipway/config-hash-key, owner-only,
/// never rendered, logged or copied into a revision, so a rollback re-applies the hashes it recorded. A deployment
/// directory from before the key gets one on its next update, and each of its pods rolls once.
/// </remarks>
internal sealed class ConfigHash
{
    private readonly SortedSet<string> _entries = new(StringComparer.Ordinal);

    /// <summary>The folder ConfigMaps the pod mounts: not in the keyed hash, their digest is its own annotation (start works it out again).</summary>
    public SortedDictionary<string, string> FolderConfigMaps { get; } = new(StringComparer.Ordinal);

    public void Config(string key, string value) => Add("config", key, value);

    public void EnvFile(string key, string value) => Add("env_file", key, value);

    public void ConfigMap(string name, string contentDigest) => Add("configmap", name, contentDigest);

    public void Secret(string name, IReadOnlyList<string> keys) => Add("secret", name, string.Concat(keys.Select(Field)));

    public string Compute(byte[] key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(string.Concat(_entries))));

    /// <summary>SHA-256 of a ConfigMap's content, which is no secret: whoever may read the pod spec may usually read the ConfigMap.</summary>
    public static string Digest(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private void Add(string kind, string name, string value) => _entries.Add(Field(kind) + Field(name) + Field(value));

    // Length-prefixed, so no value can pass for the boundary of another entry.
    private static string Field(string text) => $"{text.Length}:{text};";
}
