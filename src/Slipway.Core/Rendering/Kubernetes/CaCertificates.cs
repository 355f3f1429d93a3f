using System.Text;
using System.Text.Json.Nodes;
using Slipway.Core.Diagnostics;
using Slipway.Core.Files;
using Slipway.Core.Kubernetes;
using Slipway.Core.Stacks;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>
/// <c>ca-certificates</c>: the PEM files in one Secret (laconic-so's keys <c>laconic-extra-ca-&lt;i&gt;.pem</c>), each
/// mounted read-only at <c>/etc/ssl/certs/&lt;key&gt;</c> in every container, and <c>NODE_EXTRA_CA_CERTS</c> naming a
/// file that holds them all (laconic-so named only the first, so Node trusted one of several). Read at create and
/// at every update; a change rolls the pods through the config hash.
/// </summary>
internal static class CaCertificates
{
    public const string VolumeName = "ca-certificates";
    public const string Folder = "/etc/ssl/certs";
    public const string BundleKey = "laconic-extra-ca-bundle.pem";
    public const string NodeVariable = "NODE_EXTRA_CA_CERTS";

    public static string SecretName(string id) => KubeNames.Label($"{id}-ca-certificates");

    public static string Key(int index) => $"laconic-extra-ca-{index}.pem";

    /// <summary>The Secret, or null without ca-certificates; reads each file (a missing one is an error at its line).</summary>
    public static JsonObject? Render(RenderContext context)
    {
        var paths = context.Spec.Kubernetes.CaCertificates;
        if (paths.Count == 0) return null;
        var data = new JsonObject();
        var all = new StringBuilder();
        for (var i = 0; i < paths.Count; i++)
        {
            var (text, at) = (paths[i].Value, paths[i].Location);
            var path = Path.GetFullPath(Path.Combine(context.Spec.Directory, StackResolver.ExpandHome(text)));
            var entry = context.Inputs.HostFiles.Stat(path);
            if (entry.Kind != HostPathKind.File)
            {
                context.Diagnostics.Error(DiagnosticCodes.NotFound, $"ca-certificates: {path} is not a file", at, "give the path of a PEM certificate file (relative to the spec's folder)");
                continue;
            }

            var pem = Encoding.UTF8.GetString(entry.File!.Read());
            if (!pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                context.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"ca-certificates: {path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)", at);
                continue;
            }

            data[Key(i)] = Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
            all.Append(pem.EndsWith('\n') ? pem : pem + "\n");
        }

        if (data.Count == 0) return null;
        data[BundleKey] = Convert.ToBase64String(Encoding.UTF8.GetBytes(all.ToString()));
        context.CaCertificateKeys = [.. data.Select(d => d.Key).Where(k => k != BundleKey)];
        context.CaCertificateDigest = ConfigHash.Digest(all.ToString());
        var secret = context.Object("v1", "Secret", SecretName(context.Id), context.Labels());
        secret["type"] = "Opaque";
        secret["data"] = data;
        return secret;
    }

    /// <summary>Mounts each certificate (and the bundle) into a container and points NODE_EXTRA_CA_CERTS at the bundle unless the service sets it.</summary>
    public static void Mount(RenderContext context, JsonObject container, JsonObject volumes, ConfigHash hash)
    {
        if (context.CaCertificateDigest is not { } digest) return;
        var secret = SecretName(context.Id);
        if (!volumes.ContainsKey(VolumeName))
        {
            volumes[VolumeName] = new JsonObject { ["name"] = VolumeName, ["secret"] = new JsonObject { ["secretName"] = secret, ["defaultMode"] = 420 } };
        }

        hash.ConfigMap(secret, digest);
        var mounts = container["volumeMounts"] as JsonArray ?? [];
        foreach (var key in context.CaCertificateKeys.Append(BundleKey))
        {
            mounts.Add(new JsonObject { ["name"] = VolumeName, ["mountPath"] = $"{Folder}/{key}", ["subPath"] = key, ["readOnly"] = true });
        }

        container["volumeMounts"] = mounts;
        var env = container["env"] as JsonArray ?? [];
        if (!env.OfType<JsonObject>().Any(e => (string?)e["name"] == NodeVariable))
        {
            env.Add(new JsonObject { ["name"] = NodeVariable, ["value"] = $"{Folder}/{BundleKey}" });
        }

        container["env"] = env;
    }
}
