using Slipway.Core.Diagnostics;
using Slipway.Core.Kubernetes;
using Slipway.Core.Verification;
using Slipway.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Specs;

/// <summary>Strict parser for spec.yml. Unknown keys are errors with a did-you-mean; every laconic-so key is recognised.</summary>
public static class SpecParser
{
    /// <summary>Keys Slipway acts on today, for every target.</summary>
    private static readonly string[] Implemented =
        ["stack", "deploy-to", "config", "network", "volumes", "credentials-files", "env-files", "image-overrides"];

    /// <summary>Keys that only mean something on Kubernetes targets.</summary>
    private static readonly string[] KubernetesOnly =
    [
        "kube-config", "namespace", "configmaps", "secrets", "resources", "security", "annotations", "labels", "replicas",
        "node-affinities", "node-tolerations", "kind-cluster-name", "kind-mount-root", "caddy-ingress-image",
        "maintenance-service", "external-services", "ca-certificates", "image-pull-policy",
    ];

    /// <summary>Registry keys, read by build-containers --push and the push stage (and the k8s pull secret).</summary>
    private static readonly string[] RegistrySettings = ["registry-credentials", "image-pull-secret", "image-registry"];

    /// <summary>Keys read by Verification/VerificationSpecParser.</summary>
    private static readonly string[] Verification = ["verify", "rollout", "hooks"];

    public static readonly IReadOnlyList<string> KnownKeys = [.. Implemented, .. KubernetesOnly, .. RegistrySettings, .. Verification];

    private static readonly string[] NetworkKeys = ["ports", "http-proxy", "acme-email"];
    private static readonly string[] RegistryKeys = ["server", "username", "token-env", "token-file"];

    public static Spec Parse(string text, string file, DiagnosticBag diagnostics)
    {
        var map = YamlDocuments.LoadMapping(text, file, diagnostics, "spec",
            "spec is empty: it needs at least 'stack'", "a spec must be a mapping of keys (stack, deploy-to, config, ...)");
        if (map is null)
        {
            return new Spec { FilePath = file };
        }

        map.RejectUnknownKeys(KnownKeys.ToArray());

        var target = DeployTarget.Compose;
        if (map.String("deploy-to") is { } to)
        {
            if (DeployTargets.Parse(to) is { } parsed)
            {
                target = parsed;
            }
            else
            {
                diagnostics.Error(DiagnosticCodes.InvalidValue, $"deploy-to must be one of {string.Join(", ", DeployTargets.Names)}, not '{to}'",
                    map.ValueLocation("deploy-to"), DidYouMean.Hint(to, DeployTargets.Names));
            }
        }

        WarnAboutKeysNotActedOn(map, target);

        var stack = Located(map, "stack");
        if (stack is null)
        {
            diagnostics.Error(DiagnosticCodes.MissingKey, "spec has no 'stack': name the stack (a path relative to this file, or a shipped stack's name)", map.Location);
        }

        var network = map.Map("network", "'network'");
        network?.RejectUnknownKeys(NetworkKeys);

        return new Spec
        {
            FilePath = file,
            Stack = stack,
            DeployTo = target,
            KubeConfig = Located(map, "kube-config"),
            Namespace = Located(map, "namespace"),
            Config = ParseConfig(map),
            EnvFiles = LocatedList(map, "env-files"),
            CredentialsFiles = LocatedList(map, "credentials-files"),
            Ports = network is null ? [] : ParsePorts(network),
            Volumes = ParseVolumes(map),
            ConfigMaps = ParseNamedPaths(map, "configmaps"),
            ImageOverrides = ParseImageOverrides(map),
            ImageRegistry = Located(map, "image-registry"),
            RegistryCredentials = ParseRegistryCredentials(map),
            Kubernetes = KubernetesSpecParser.Parse(map, network, target),
            Verify = VerificationSpecParser.ParseVerify(map),
            Rollout = VerificationSpecParser.ParseRollout(map),
            Hooks = VerificationSpecParser.ParseHooks(map),
            PresentKeys = map.Keys.ToHashSet(StringComparer.Ordinal),
        };
    }

    private static void WarnAboutKeysNotActedOn(YamlMap map, DeployTarget target)
    {
        foreach (var key in map.Keys)
        {
            if (!target.IsKubernetes() && KubernetesOnly.Contains(key))
            {
                map.Diagnostics.Warning(DiagnosticCodes.NotApplicable, $"'{key}' applies to Kubernetes deployments only; {target.ToName()} ignores it", map.KeyLocation(key));
            }
        }

        if (map.Map("network") is { } network && !target.IsKubernetes())
        {
            foreach (var key in new[] { "http-proxy", "acme-email" }.Where(network.Has))
            {
                map.Diagnostics.Warning(DiagnosticCodes.NotApplicable, $"'network.{key}' applies to Kubernetes deployments only; {target.ToName()} ignores it", network.KeyLocation(key));
            }
        }
    }

    private static List<ConfigValue> ParseConfig(YamlMap map)
    {
        var list = new List<ConfigValue>();
        if (map.Map("config", "'config'") is not { } config) return list;
        foreach (var key in config.Keys)
        {
            var node = config.Get(key)!;
            if (Names.IsEnvFileOnlyName(key))
            {
                map.Diagnostics.Warning(DiagnosticCodes.InvalidName,
                    $"config key '{key}' is not an environment variable name: compose files cannot substitute it (${{...}} takes letters, digits and '_'); it is kept in config.env and handed on as laconic-so does (containers reading config.env, the config object on Kubernetes)",
                    config.KeyLocation(key));
            }
            else if (!Names.IsValidEnvName(key))
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidName, $"config key '{key}' is not a valid environment variable name (letters, digits and '_', not starting with a digit)", config.KeyLocation(key));
                continue;
            }

            // Empty values are kept (as ""), unlike laconic-so, which drops them on k8s.
            var value = config.ScalarText(node, $"config value '{key}'") ?? "";
            if (node is YamlScalarNode && GeneratedSecret.ContainsToken(value))
            {
                foreach (var error in GeneratedSecret.Validate(value))
                {
                    map.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"config '{key}': {error}", node.At(map.File));
                }
            }

            list.Add(new ConfigValue(key, value, config.KeyLocation(key)!));
        }

        return list;
    }

    private static List<ServicePorts> ParsePorts(YamlMap network)
    {
        var list = new List<ServicePorts>();
        if (network.Map("ports", "'network.ports'") is not { } ports) return list;
        foreach (var service in ports.Keys)
        {
            var items = ports.StringList(service).Select(p => new Located<string>(p.Value, p.Location)).ToList();
            list.Add(new ServicePorts(service, items, ports.KeyLocation(service)!));
        }

        return list;
    }

    private static List<VolumeSpec> ParseVolumes(YamlMap map)
    {
        var list = new List<VolumeSpec>();
        if (map.Map("volumes", "'volumes'") is not { } volumes) return list;
        foreach (var name in volumes.Keys)
        {
            if (!Names.IsValidComponentName(name))
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidName, $"volume name '{name}' is not valid: use letters, digits, '-', '_' and '.'", volumes.KeyLocation(name));
                continue;
            }

            // A path, or the long form {path, allow-system-write} that marks a system folder a service may change.
            string? path;
            var allowSystemWrite = false;
            if (volumes.Get(name) is YamlMappingNode)
            {
                var entry = volumes.Map(name, $"volume '{name}'")!;
                entry.RejectUnknownKeys(["path", "allow-system-write"]);
                path = entry.String("path");
                allowSystemWrite = entry.Bool("allow-system-write") ?? false;
            }
            else
            {
                path = volumes.ScalarText(volumes.Get(name)!, $"volume '{name}'");
            }

            list.Add(new VolumeSpec(name, string.IsNullOrEmpty(path) ? null : path, volumes.KeyLocation(name)!) { AllowSystemWrite = allowSystemWrite });
        }

        return list;
    }

    private static List<Located<string>> ParseNamedPaths(YamlMap map, string key)
    {
        var list = new List<Located<string>>();
        if (map.Map(key, $"'{key}'") is not { } named) return list;
        foreach (var name in named.Keys)
        {
            list.Add(new Located<string>(name, named.KeyLocation(name)!));
        }

        return list;
    }

    private static Dictionary<string, Located<string>> ParseImageOverrides(YamlMap map)
    {
        var result = new Dictionary<string, Located<string>>(StringComparer.Ordinal);
        if (map.Map("image-overrides", "'image-overrides'") is not { } overrides) return result;
        foreach (var service in overrides.Keys)
        {
            if (overrides.String(service) is { } image)
            {
                result[service] = new Located<string>(image, overrides.ValueLocation(service)!);
            }
            else
            {
                map.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"image-overrides '{service}' needs an image reference", overrides.KeyLocation(service));
            }
        }

        return result;
    }

    private static RegistryCredentials? ParseRegistryCredentials(YamlMap map)
    {
        var key = map.Has("registry-credentials") ? "registry-credentials" : "image-pull-secret";
        if (map.Has("registry-credentials") && map.Has("image-pull-secret"))
        {
            map.Diagnostics.Error(DiagnosticCodes.Conflict, "give either 'registry-credentials' or its alias 'image-pull-secret', not both", map.KeyLocation("image-pull-secret"));
        }

        if (map.Map(key, $"'{key}'") is not { } credentials) return null;
        credentials.RejectUnknownKeys(RegistryKeys);
        var server = credentials.String("server");
        if (server is null)
        {
            map.Diagnostics.Error(DiagnosticCodes.MissingKey, $"'{key}' needs 'server'", credentials.Location);
        }

        var tokenEnv = credentials.String("token-env");
        var tokenFile = credentials.String("token-file");
        if (tokenEnv is null && tokenFile is null)
        {
            map.Diagnostics.Error(DiagnosticCodes.MissingKey, $"'{key}' needs 'token-env' (an environment variable name) or 'token-file'; tokens are never written in the spec", credentials.Location);
        }
        else if (tokenEnv is not null && tokenFile is not null)
        {
            // Two sources would make the token in use depend on which one happens to be set on this host.
            map.Diagnostics.Error(DiagnosticCodes.Conflict, $"'{key}' has both 'token-env' and 'token-file'; give one", credentials.KeyLocation("token-file"),
                "keep token-env to read the token from an environment variable, or token-file to read it from a file");
        }

        return new RegistryCredentials(server ?? "", credentials.String("username"), tokenEnv, tokenFile, credentials.Location);
    }

    private static Located<string>? Located(YamlMap map, string key) =>
        map.String(key) is { } value ? new Located<string>(value, map.ValueLocation(key)!) : null;

    private static List<Located<string>> LocatedList(YamlMap map, string key) =>
        map.StringList(key, allowSingle: true).Select(x => new Located<string>(x.Value, x.Location)).ToList();
}
