using Slipway.Core.Compose;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Core.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Rendering.Compose;

/// <summary>
/// The compose files of D: a copy of each pod and job file (keys Slipway does not know survive) with the spec's ports,
/// image overrides and host-path volumes applied, and each service labelled with the hash of the config files it binds.
/// </summary>
internal static class ComposeRenderer
{
    public static IEnumerable<RenderedFile> Render(
        StackBundle bundle, Spec spec, IReadOnlyDictionary<string, VolumePlacement> placements, Func<string, string?> lookup,
        IReadOnlyList<RenderedFile> configFiles, DiagnosticBag diagnostics)
    {
        var files = new List<RenderedFile>();
        foreach (var pod in bundle.Pods)
        {
            var root = Copy(pod.Compose.Root);
            ApplyPorts(root, spec, lookup, diagnostics);
            ApplyImageOverrides(root, spec);
            ApplyVolumes(root, placements);
            var path = DeploymentLayout.PodComposePath(pod.Name);
            ApplyConfigHashes(root, pod, path, configFiles, lookup);
            files.Add(RenderedFile.Text(path, YamlDocuments.Save(root)));
        }

        foreach (var job in bundle.Jobs)
        {
            var root = Copy(job.Compose.Root);
            ApplyImageOverrides(root, spec);
            ApplyVolumes(root, placements);
            var path = DeploymentLayout.JobComposePath(job.Name);
            ApplyConfigHashes(root, job, path, configFiles, lookup);
            files.Add(RenderedFile.Text(path, YamlDocuments.Save(root)));
        }

        return files;
    }

    private static void ApplyPorts(YamlMappingNode root, Spec spec, Func<string, string?> lookup, DiagnosticBag diagnostics)
    {
        foreach (var (name, service) in Services(root))
        {
            var ports = spec.Ports.FirstOrDefault(p => p.Service == name);
            if (ports is null) continue;
            var list = new YamlSequenceNode();
            foreach (var port in ports.Ports)
            {
                var value = Interpolation.Apply(port.Value, lookup).Value;
                if (!PortSpec.TryParse(value, out _, out var error))
                {
                    diagnostics.Error(DiagnosticCodes.InvalidPort, $"network.ports of '{name}': '{port.Value}': {error}", port.Location);
                }

                list.Add(new YamlScalarNode(port.Value) { Style = ScalarStyle.DoubleQuoted });
            }

            service.Children[new YamlScalarNode("ports")] = list;
        }
    }

    private static void ApplyImageOverrides(YamlMappingNode root, Spec spec)
    {
        foreach (var (name, service) in Services(root))
        {
            if (spec.ImageOverrides.TryGetValue(name, out var image))
            {
                service.Children[new YamlScalarNode("image")] = new YamlScalarNode(image.Value) { Style = ScalarStyle.DoubleQuoted };
            }
        }
    }

    /// <summary>
    /// Labels every service with the hash of the config files it binds (see <see cref="ServiceConfig"/>). Services no
    /// longer read all of config.env: a key reaches a service only where the service asks for it, so a config change
    /// recreates exactly its consumers.
    /// </summary>
    private static void ApplyConfigHashes(YamlMappingNode root, StackComposeFile file, string path, IReadOnlyList<RenderedFile> configFiles, Func<string, string?> lookup)
    {
        var folder = Path.GetDirectoryName(path)!.Replace('\\', '/');
        foreach (var (name, node) in Services(root))
        {
            ServiceConfig.SetHashLabel(node, ServiceConfig.Hash(file.Compose.Service(name)!, folder, configFiles, lookup));
        }
    }

    /// <summary>Spec host-path volumes become bind-backed local volumes (the project keeps using named volumes).</summary>
    private static void ApplyVolumes(YamlMappingNode root, IReadOnlyDictionary<string, VolumePlacement> placements)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("volumes"), out var node) || node is not YamlMappingNode volumes) return;
        foreach (var (key, _) in volumes.Children.ToList())
        {
            if (key is YamlScalarNode { Value: { } name } && placements.TryGetValue(name, out var placement) && placement.HostPath is { } hostPath)
            {
                volumes.Children[key] = new YamlMappingNode
                {
                    { "driver", "local" },
                    {
                        "driver_opts", new YamlMappingNode
                        {
                            { "type", "none" },
                            { "device", new YamlScalarNode(hostPath) { Style = ScalarStyle.DoubleQuoted } },
                            { "o", "bind" },
                        }
                    },
                };
            }
        }
    }

    /// <summary>Rendering edits the tree; edit a copy so the bundle (and a second render from it) is unchanged.</summary>
    private static YamlMappingNode Copy(YamlMappingNode root)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(YamlDocuments.Save(root)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<(string Name, YamlMappingNode Node)> Services(YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("services"), out var node) || node is not YamlMappingNode services) yield break;
        foreach (var (key, value) in services.Children)
        {
            if (key is YamlScalarNode { Value: { } name } && value is YamlMappingNode service) yield return (name, service);
        }
    }
}
