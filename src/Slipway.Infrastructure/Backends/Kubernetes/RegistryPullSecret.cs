using System.Text;
using System.Text.Json;
using Slipway.Core;
using Slipway.Core.Rendering.Kubernetes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>
/// The <c>kubernetes.io/dockerconfigjson</c> Secret every pod names in imagePullSecrets (<c>&lt;id&gt;-registry</c>). Built
/// in memory at apply time and sent on kubectl's stdin: the token is never on argv, in D, or in a log line
/// (<see cref="SecretForms"/> lists every spelling of it for redaction).
/// </summary>
internal sealed record RegistryPullSecret(ManifestObject Object, IReadOnlyList<string> SecretForms)
{
    public static string NameFor(string deploymentId) => KubernetesRenderer.RegistrySecretName(deploymentId);

    public static RegistryPullSecret Build(string deploymentId, string ns, string stack, string server, string username, string token)
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{token}"));
        var config = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["auths"] = new Dictionary<string, object>
            {
                [server] = new Dictionary<string, string> { ["username"] = username, ["password"] = token, ["auth"] = auth },
            },
        });
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes(config));
        var node = new YamlMappingNode
        {
            { "apiVersion", "v1" },
            { "kind", "Secret" },
            {
                "metadata", new YamlMappingNode
                {
                    { "name", NameFor(deploymentId) },
                    { "namespace", ns },
                    {
                        "labels", new YamlMappingNode
                        {
                            // Labelled like every other object, so stop removes it (laconic-so's had no labels and outlived its deployment).
                            { SlipwayLabels.ManagedByLabel, SlipwayLabels.ManagedByValue },
                            { SlipwayLabels.DeploymentIdLabel, deploymentId },
                            { SlipwayLabels.StackLabel, stack },
                        }
                    },
                }
            },
            { "type", "kubernetes.io/dockerconfigjson" },
            { "data", new YamlMappingNode { { ".dockerconfigjson", new YamlScalarNode(data) { Style = ScalarStyle.DoubleQuoted } } } },
        };
        return new RegistryPullSecret(new ManifestObject("v1", "Secret", NameFor(deploymentId), ns, node), [token, auth, data, config]);
    }
}
