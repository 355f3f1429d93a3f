using System.Security.Cryptography;
using Slipway.Core.Compose;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Verification;
using Slipway.Core.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Rendering.Swarm;

/// <summary>What the Swarm stack file is rendered from: D's rendered pod compose files and config copies, and the spec's values.</summary>
public sealed record SwarmInputs
{
    /// <summary>The stack's namespace and the prefix of its config objects: the deployment-id.</summary>
    public required string Project { get; init; }

    /// <summary>D's rendered pod compose files (paths relative to D).</summary>
    public required IReadOnlyList<RenderedFile> ComposeFiles { get; init; }

    /// <summary>D's copied config files (paths relative to D); a service binding one gets it as a <c>docker config</c>.</summary>
    public required IReadOnlyList<RenderedFile> ConfigFiles { get; init; }

    /// <summary>The deployment's config (config.env), for interpolation: the stack file holds the values, as compose would resolve them.</summary>
    public required Func<string, string?> Lookup { get; init; }

    public RolloutStrategy Strategy { get; init; } = RolloutStrategy.StopFirst;

    /// <summary>D's absolute path: a relative bind that is not a config file becomes a bind of this path (swarm needs absolute ones).</summary>
    public required string DeploymentDirectory { get; init; }

    /// <summary>
    /// The config keys whose values are secrets (generated, or from env-files/credentials-files): an environment entry
    /// that interpolates one becomes a <c>docker secret</c> instead of a value in the stack file.
    /// </summary>
    public IReadOnlySet<string> SecretKeys { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The deployment's HMAC key for secret object names (a plain hash of a short secret would be guessable from its name).</summary>
    public byte[]? SecretHashKey { get; init; }
}

/// <summary>One <c>docker config</c> object the stack uses: named by its content, so a change is a new object and an unchanged one is reused.</summary>
/// <param name="Name">The object's name: the project, a digest of the content, and the file's name.</param>
/// <param name="File">The file in D it is created from (relative to D).</param>
public sealed record SwarmConfig(string Name, string File);

/// <summary>
/// One <c>docker secret</c> object: an environment entry of a service whose value interpolates a secret config key. The
/// container reads it from <c>/run/secrets/VARIABLE</c> and gets <c>VARIABLE_FILE</c> pointing there, never the value.
/// </summary>
/// <param name="Name">The object's name: the project, a keyed digest of the content, and the variable.</param>
/// <param name="Service">The service whose environment named it.</param>
/// <param name="Variable">The environment variable it replaces.</param>
/// <param name="Content">The value, as compose would have interpolated it.</param>
public sealed record SwarmSecret(string Name, string Service, string Variable, string Content)
{
    /// <summary>D/swarm/secrets/NAME: where the render leaves the content for apply to create the object from (owner-only).</summary>
    public string File => $"{SwarmStackRenderer.SecretsFolder}/{Name}";

    public override string ToString() => $"SwarmSecret {{ Name = {Name}, Service = {Service}, Variable = {Variable} }}";
}

public sealed record SwarmStack(string Text, IReadOnlyList<SwarmConfig> Configs, IReadOnlyList<Diagnostic> Warnings)
{
    public IReadOnlyList<SwarmSecret> Secrets { get; init; } = [];
}

/// <summary>
/// D/swarm/stack.yml for <c>docker stack deploy</c>: every pod's services in one file (version 3.8), values
/// interpolated from config.env, each bound config file a <c>docker config</c> with a content-hashed name (declared
/// external: Slipway creates and prunes the versions, so <c>stack rm</c> keeps the last good ones), and each service's
/// <c>deploy.update_config</c> from rollout.strategy with <c>failure_action: pause</c> (Slipway rolls back the whole
/// stack itself; swarm's per-service rollback would leave it mixed). Keys swarm does not run are left out with a warning.
/// </summary>
public static class SwarmStackRenderer
{
    public const string StackPath = "swarm/stack.yml";

    /// <summary>Where each secret object's content waits for apply (files named by the object, mode 0600, in every revision).</summary>
    public const string SecretsFolder = "swarm/secrets";

    /// <summary>Where swarm mounts a service's secrets.</summary>
    public const string SecretsMount = "/run/secrets";

    /// <summary>The label on every config object Slipway creates for a deployment (its value: the deployment-id).</summary>
    public const string DeploymentLabel = "io.slipway.deployment";

    /// <summary>
    /// The service label (deploy.labels) holding a digest of the service's rendered definition: what plan compares with
    /// the live service. A service label, not a container one, so it never restarts a task by itself.
    /// </summary>
    public const string DefinitionLabel = "io.slipway.definition";

    private static readonly string[] Dropped = ["build", "container_name", "depends_on", "network_mode", "links", "external_links"];

    public static SwarmStack Render(SwarmInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var warnings = new List<Diagnostic>();
        var services = new YamlMappingNode();
        var volumes = new YamlMappingNode();
        var networks = new YamlMappingNode();
        var configs = new SortedDictionary<string, SwarmConfig>(StringComparer.Ordinal);
        var secrets = new List<SwarmSecret>();
        foreach (var file in inputs.ComposeFiles.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            var root = Load(file);
            var folder = Path.GetDirectoryName(file.RelativePath)!.Replace('\\', '/');
            if (Child(root, "services") is YamlMappingNode fileServices)
            {
                foreach (var (key, value) in fileServices.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name } || value is not YamlMappingNode service) continue;
                    Secrets(service, name, inputs, secrets);
                    WarnSecretsElsewhere(service, name, inputs, file, warnings);
                    Interpolate(service, inputs.Lookup);
                    foreach (var drop in Dropped.Where(d => service.Children.Remove(new YamlScalarNode(d))))
                    {
                        warnings.Add(Diagnostic.Warning(DiagnosticCodes.InvalidValue, $"service '{name}': '{drop}' is not used by docker stack deploy; left out of {StackPath}",
                            new SourceLocation(file.RelativePath, (int)service.Start.Line, (int)service.Start.Column)));
                    }

                    RestartPolicy(service);
                    Mounts(service, folder, inputs, configs);
                    UpdateConfig(service, inputs.Strategy);
                    DefinitionDigest(service);
                    services.Children[new YamlScalarNode(name)] = service;
                }
            }

            Merge(Child(root, "volumes"), volumes, inputs.Lookup);
            Merge(Child(root, "networks"), networks, inputs.Lookup);
        }

        var stack = new YamlMappingNode { { "version", new YamlScalarNode("3.8") { Style = ScalarStyle.DoubleQuoted } }, { "services", services } };
        if (volumes.Children.Count > 0) stack.Add("volumes", volumes);
        if (networks.Children.Count > 0) stack.Add("networks", networks);
        if (configs.Count > 0)
        {
            var top = new YamlMappingNode();
            foreach (var config in configs.Values.DistinctBy(c => c.Name).OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                top.Add(config.Name, new YamlMappingNode { { "external", "true" }, { "name", config.Name } });
            }

            stack.Add("configs", top);
        }

        if (secrets.Count > 0)
        {
            var top = new YamlMappingNode();
            foreach (var secret in secrets.DistinctBy(c => c.Name).OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                top.Add(secret.Name, new YamlMappingNode { { "external", "true" }, { "name", secret.Name } });
            }

            stack.Add("secrets", top);
        }

        var text = "# Written by slipway from D's compose files for docker stack deploy. Do not edit: deploy create --update rewrites it.\n" + YamlDocuments.Save(stack);
        return new SwarmStack(text, [.. configs.Values.DistinctBy(c => c.Name).OrderBy(c => c.Name, StringComparer.Ordinal)], warnings)
        {
            Secrets = [.. secrets.DistinctBy(c => c.Name).OrderBy(c => c.Name, StringComparer.Ordinal)],
        };
    }

    /// <summary>The secret objects a rendered stack file declares, read back for apply and pruning.</summary>
    public static IReadOnlyList<string> SecretNames(string stackText) => TopLevelNames(stackText, "secrets");

    /// <summary>
    /// The name of a secret's object: <c>PROJECT-DIGEST-VARIABLE</c> (at most 64 characters), the digest an HMAC of the
    /// content under the deployment's key, so equal content keeps its name and the name tells nothing about the value.
    /// </summary>
    public static string SecretName(string project, string variable, string content, byte[] key)
    {
        var digest = Convert.ToHexStringLower(HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes(variable + "\0" + content)))[..12];
        var name = $"{project}-{digest}-{variable}";
        return name.Length <= 64 ? name : name[..64];
    }

    /// <summary>
    /// Each environment entry whose value interpolates a secret key: its value becomes a secret object mounted at
    /// /run/secrets/VARIABLE, and the entry becomes VARIABLE_FILE=/run/secrets/VARIABLE (the _FILE convention of the
    /// images that read secrets from files), so the value is in neither the stack file nor docker service inspect.
    /// </summary>
    private static void Secrets(YamlMappingNode service, string serviceName, SwarmInputs inputs, List<SwarmSecret> secrets)
    {
        if (inputs.SecretKeys.Count == 0 || Child(service, "environment") is not { } environment) return;
        var entries = environment switch
        {
            YamlMappingNode map => map.Children.Select(e => ((e.Key as YamlScalarNode)?.Value, (e.Value as YamlScalarNode)?.Value)).ToList(),
            YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(e => e.Value ?? "")
                .Select(e => e.IndexOf('=', StringComparison.Ordinal) is var i and >= 0 ? (e[..i], (string?)e[(i + 1)..]) : ((string?)e, null)).ToList(),
            _ => [],
        };
        var moved = new List<(string Variable, string Content)>();
        foreach (var (variable, raw) in entries)
        {
            if (variable is null || raw is null || !Interpolation.ReferencedVariables(raw).Any(inputs.SecretKeys.Contains)) continue;
            var content = Interpolation.Apply(raw, inputs.Lookup).Value;
            // An empty value hides nothing, and swarm refuses an empty secret: it stays an (empty) environment value.
            if (content.Length > 0) moved.Add((variable, content));
        }

        if (moved.Count == 0) return;
        var key = inputs.SecretHashKey ?? throw new ArgumentException("secrets on swarm need the deployment's hash key", nameof(inputs));
        var serviceSecrets = Child(service, "secrets") as YamlSequenceNode ?? new YamlSequenceNode();
        foreach (var (variable, content) in moved)
        {
            var secret = new SwarmSecret(SecretName(inputs.Project, variable, content, key), serviceName, variable, content);
            secrets.Add(secret);
            var path = $"{SecretsMount}/{variable}";
            if (environment is YamlMappingNode map)
            {
                map.Children.Remove(new YamlScalarNode(variable));
                map.Children[new YamlScalarNode(variable + "_FILE")] = new YamlScalarNode(path);
            }
            else if (environment is YamlSequenceNode list)
            {
                list.Children.Remove(list.Children.OfType<YamlScalarNode>().First(e => e.Value?.StartsWith(variable + "=", StringComparison.Ordinal) == true));
                list.Children.Add(new YamlScalarNode($"{variable}_FILE={path}"));
            }

            serviceSecrets.Add(new YamlMappingNode { { "source", secret.Name }, { "target", variable } });
        }

        service.Children[new YamlScalarNode("secrets")] = serviceSecrets;
    }

    /// <summary>A secret key interpolated anywhere but an environment value lands in the stack file and docker service inspect: say so.</summary>
    private static void WarnSecretsElsewhere(YamlMappingNode service, string serviceName, SwarmInputs inputs, RenderedFile file, List<Diagnostic> warnings)
    {
        if (inputs.SecretKeys.Count == 0) return;
        foreach (var scalar in YamlDocuments.Scalars(service))
        {
            if (scalar.Value is not { } value || !value.Contains('$', StringComparison.Ordinal)) continue;
            foreach (var secretKey in Interpolation.ReferencedVariables(value).Where(inputs.SecretKeys.Contains))
            {
                warnings.Add(Diagnostic.Warning(DiagnosticCodes.InvalidValue,
                    $"service '{serviceName}': the secret config key {secretKey} is interpolated outside an environment value, so its value is written into {StackPath} and shows in 'docker service inspect'; pass it through the service's environment to make it a docker secret",
                    new SourceLocation(file.RelativePath, (int)scalar.Start.Line, (int)scalar.Start.Column)));
            }
        }
    }

    /// <summary>The config objects a rendered stack file declares (name → external object), read back for apply and pruning.</summary>
    public static IReadOnlyList<string> ConfigNames(string stackText) => TopLevelNames(stackText, "configs");

    private static IReadOnlyList<string> TopLevelNames(string stackText, string section)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(stackText));
        return stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root || Child(root, section) is not YamlMappingNode objects
            ? []
            : [.. objects.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").Where(v => v.Length > 0)];
    }

    /// <summary>The name of a config file's object: <c>PROJECT-DIGEST-FILENAME</c>, at most 64 characters (swarm's limit).</summary>
    public static string ConfigName(string project, RenderedFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var digest = Convert.ToHexStringLower(SHA256.HashData(file.Content))[..12];
        var baseName = new string(Path.GetFileName(file.RelativePath).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        var name = $"{project}-{digest}-{baseName}";
        return name.Length <= 64 ? name : name[..64];
    }

    private static void Interpolate(YamlNode node, Func<string, string?> lookup)
    {
        foreach (var scalar in YamlDocuments.Scalars(node))
        {
            if (scalar.Value is not { } value || !value.Contains('$', StringComparison.Ordinal)) continue;
            // docker stack deploy interpolates again: a literal $ left by compose's rules is written as $$.
            scalar.Value = Interpolation.Apply(value, lookup).Value.Replace("$", "$$", StringComparison.Ordinal);
            if (scalar.Style == ScalarStyle.Plain) scalar.Style = ScalarStyle.DoubleQuoted;
        }
    }

    /// <summary>compose's <c>restart:</c> as swarm's <c>deploy.restart_policy</c> (swarm ignores the former).</summary>
    private static void RestartPolicy(YamlMappingNode service)
    {
        if (Child(service, "restart") is not YamlScalarNode { Value: { } restart }) return;
        service.Children.Remove(new YamlScalarNode("restart"));
        var condition = restart switch
        {
            "no" => "none",
            "on-failure" => "on-failure",
            _ => "any",
        };
        var deploy = Deploy(service);
        if (Child(deploy, "restart_policy") is null) deploy.Add("restart_policy", new YamlMappingNode { { "condition", condition } });
    }

    /// <summary>deploy.labels gets <see cref="DefinitionLabel"/>: a digest of the service as rendered (before the label).</summary>
    private static void DefinitionDigest(YamlMappingNode service)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(YamlDocuments.Save(service))))[..12];
        var deploy = Deploy(service);
        switch (Child(deploy, "labels"))
        {
            case YamlSequenceNode list:
                list.Add(new YamlScalarNode($"{DefinitionLabel}={digest}"));
                break;
            case YamlMappingNode map:
                map.Children[new YamlScalarNode(DefinitionLabel)] = new YamlScalarNode(digest);
                break;
            default:
                deploy.Children[new YamlScalarNode("labels")] = new YamlMappingNode { { DefinitionLabel, digest } };
                break;
        }
    }

    /// <summary>One service of a rendered stack file, read back for plan.</summary>
    public sealed record StackService(string Name, string? Image, string? Definition, IReadOnlyList<string> Configs, IReadOnlyList<string> Secrets);

    /// <summary>The services of a rendered stack file: image, definition digest, the config and secret objects each uses.</summary>
    public static IReadOnlyList<StackService> Services(string stackText)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(stackText));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root || Child(root, "services") is not YamlMappingNode services) return [];
        var result = new List<StackService>();
        foreach (var (key, value) in services.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } || value is not YamlMappingNode service) continue;
            string? definition = null;
            if (Child(service, "deploy") is YamlMappingNode deploy)
            {
                definition = Child(deploy, "labels") switch
                {
                    YamlMappingNode map => (Child(map, DefinitionLabel) as YamlScalarNode)?.Value,
                    YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(l => l.Value ?? "")
                        .FirstOrDefault(l => l.StartsWith(DefinitionLabel + "=", StringComparison.Ordinal))?[(DefinitionLabel.Length + 1)..],
                    _ => null,
                };
            }

            result.Add(new StackService(name, (Child(service, "image") as YamlScalarNode)?.Value, definition, Sources(service, "configs"), Sources(service, "secrets")));
        }

        return result;
    }

    private static List<string> Sources(YamlMappingNode service, string key) => Child(service, key) is YamlSequenceNode list
        ? [.. list.Children.Select(c => c is YamlMappingNode m ? (Child(m, "source") as YamlScalarNode)?.Value : (c as YamlScalarNode)?.Value).OfType<string>()]
        : [];

    private static void UpdateConfig(YamlMappingNode service, RolloutStrategy strategy)
    {
        var deploy = Deploy(service);
        if (Child(deploy, "update_config") is not YamlMappingNode update)
        {
            update = new YamlMappingNode();
            deploy.Children[new YamlScalarNode("update_config")] = update;
        }

        update.Children[new YamlScalarNode("order")] = new YamlScalarNode(RolloutSettings.ToName(strategy));
        update.Children[new YamlScalarNode("failure_action")] = new YamlScalarNode("pause");
    }

    /// <summary>
    /// Binds of config files in D become configs (a folder: one per file under it); other relative binds become binds
    /// of the absolute path in D (every node that runs the task needs it there); named volumes stay.
    /// </summary>
    private static void Mounts(YamlMappingNode service, string folder, SwarmInputs inputs, SortedDictionary<string, SwarmConfig> configs)
    {
        if (Child(service, "volumes") is not YamlSequenceNode mounts) return;
        var kept = new YamlSequenceNode();
        var serviceConfigs = new YamlSequenceNode();
        foreach (var mount in mounts.Children)
        {
            var (source, target) = mount switch
            {
                YamlScalarNode { Value: { } text } => SplitShort(text),
                YamlMappingNode map => ((Child(map, "source") as YamlScalarNode)?.Value, (Child(map, "target") as YamlScalarNode)?.Value),
                _ => (null, null),
            };
            if (source is null || target is null || !source.StartsWith('.'))
            {
                kept.Add(mount);
                continue;
            }

            var inD = Normalize(folder + "/" + source);
            var files = inputs.ConfigFiles.Where(f => f.RelativePath == inD || f.RelativePath.StartsWith(inD + "/", StringComparison.Ordinal))
                .OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
            if (files.Count == 0)
            {
                var absolute = Path.Combine(inputs.DeploymentDirectory, inD).Replace('\\', '/');
                kept.Add(mount is YamlScalarNode short1
                    ? new YamlScalarNode(absolute + short1.Value![short1.Value!.IndexOf(':', StringComparison.Ordinal)..]) { Style = ScalarStyle.DoubleQuoted }
                    : WithSource((YamlMappingNode)mount, absolute));
                continue;
            }

            foreach (var file in files)
            {
                var name = ConfigName(inputs.Project, file);
                configs[file.RelativePath] = new SwarmConfig(name, file.RelativePath);
                var fileTarget = file.RelativePath == inD ? target : target.TrimEnd('/') + file.RelativePath[inD.Length..];
                serviceConfigs.Add(new YamlMappingNode { { "source", name }, { "target", fileTarget } });
            }
        }

        if (kept.Children.Count > 0) service.Children[new YamlScalarNode("volumes")] = kept;
        else service.Children.Remove(new YamlScalarNode("volumes"));
        if (serviceConfigs.Children.Count > 0) service.Children[new YamlScalarNode("configs")] = serviceConfigs;
    }

    private static YamlMappingNode WithSource(YamlMappingNode map, string source)
    {
        map.Children[new YamlScalarNode("source")] = new YamlScalarNode(source) { Style = ScalarStyle.DoubleQuoted };
        return map;
    }

    private static (string? Source, string? Target) SplitShort(string text)
    {
        var parts = ComposeParser.SplitShortSyntax(text);
        return parts.Length >= 2 ? (parts[0], parts[1]) : (null, parts[0]);
    }

    /// <summary>Resolves <c>..</c> and <c>.</c> in a path relative to D.</summary>
    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == ".." && parts.Count > 0) parts.RemoveAt(parts.Count - 1);
            else parts.Add(part);
        }

        return string.Join('/', parts);
    }

    private static void Merge(YamlNode? from, YamlMappingNode into, Func<string, string?> lookup)
    {
        if (from is not YamlMappingNode map) return;
        foreach (var (key, value) in map.Children)
        {
            Interpolate(value, lookup);
            into.Children[key] = value;
        }
    }

    private static YamlMappingNode Deploy(YamlMappingNode service)
    {
        if (Child(service, "deploy") is YamlMappingNode deploy) return deploy;
        deploy = new YamlMappingNode();
        service.Children[new YamlScalarNode("deploy")] = deploy;
        return deploy;
    }

    private static YamlNode? Child(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static YamlMappingNode Load(RenderedFile file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(System.Text.Encoding.UTF8.GetString(file.Content)));
        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root ? root : new YamlMappingNode();
    }
}
