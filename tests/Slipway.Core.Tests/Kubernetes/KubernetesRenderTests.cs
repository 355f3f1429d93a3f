using System.Text;
using System.Text.Json.Nodes;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Kubernetes;
using Slipway.Core.Rendering;
using Slipway.Core.Rendering.Kubernetes;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Files;
using Slipway.TestKit;

namespace Slipway.Core.Tests.Kubernetes;

/// <summary>Refusals at deploy create and the rules of the translation, on small stacks written per test.</summary>
public sealed class KubernetesRenderTests : IDisposable
{
    private const string Id = "slipway-abc0000xy";
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private const string WebCompose = """
        services:
          web:
            image: shop/web:1.0.0
            environment:
              GREETING: ${GREETING}
            volumes:
              - ../config/web/site.conf:/etc/site.conf:ro
        """;

    private const string WorkerCompose = """
        services:
          worker:
            image: shop/worker:1.0.0
            environment:
              QUEUE: ${QUEUE}
        """;

    private string D => _workspace.Combine("deployment");

    private RenderedDeployment Render(string spec, string web = WebCompose, string? worker = WorkerCompose, Action<TempWorkspace>? files = null, byte[]? configHashKey = null)
    {
        _workspace.WriteFile("stack/stack.yml", $"version: \"1.0\"\nname: shop\npods:\n  - web\n{(worker is null ? "" : "  - worker\n")}");
        _workspace.WriteFile("stack/compose/docker-compose-web.yml", web + "\n");
        if (worker is not null) _workspace.WriteFile("stack/compose/docker-compose-worker.yml", worker + "\n");
        _workspace.WriteFile("stack/config/web/site.conf", "listen 80;\n");
        _workspace.WriteFile("kubeconfig", "apiVersion: v1\nkind: Config\n");
        files?.Invoke(_workspace);
        var specPath = _workspace.WriteFile("spec.yml", spec + "\n");
        var diagnostics = new DiagnosticBag();
        var parsed = SpecParser.Parse(spec + "\n", specPath, diagnostics);
        diagnostics.ThrowIfErrors();
        var stack = Stack.Load(_workspace.Combine("stack"), new DiskHostFiles(), diagnostics);
        var bundle = StackBundle.Load(stack, _workspace.Combine("repos"), DeploymentRenderer.ConfigLookup(parsed, []), diagnostics);
        return DeploymentRenderer.Render(new RenderInputs
        {
            Spec = parsed,
            SpecBytes = Encoding.UTF8.GetBytes(spec),
            Bundle = bundle,
            StackBytes = File.ReadAllBytes(stack.Definition.FilePath),
            DeploymentDirectory = D,
            DeploymentId = Id,
            KubeConfig = parsed.DeployTo == DeployTarget.K8s && parsed.KubeConfig is not null ? File.ReadAllBytes(_workspace.Combine("kubeconfig")) : null,
            HostFiles = new DiskHostFiles(),
            ConfigHashKey = configHashKey ?? KubernetesFixture.ConfigHashKey,
        });
    }

    private Diagnostic Refused(string spec, string web = WebCompose, Action<TempWorkspace>? files = null)
    {
        var ex = Assert.Throws<InvalidInputException>(() => Render(spec, web, files: files));
        return Assert.Single(ex.Diagnostics, d => d.IsError);
    }

    private static string Kind(string lines = "") => "stack: ./stack\ndeploy-to: k8s-kind\nconfig:\n  GREETING: hi\n  QUEUE: jobs\n" + lines;

    private static string Manifests(RenderedDeployment rendered) => KubernetesFixture.Text(rendered, KubernetesRenderer.ManifestsFile);

    private static List<JsonObject> Objects(RenderedDeployment rendered) =>
        Manifests(rendered).Split("---\n", StringSplitOptions.RemoveEmptyEntries).Select(ParseYaml).ToList();

    /// <summary>YAML → JSON through YamlDotNet, so tests read what a YAML reader (kubectl, the backend) reads.</summary>
    private static JsonObject ParseYaml(string text)
    {
        var deserializer = new YamlDotNet.Serialization.DeserializerBuilder().Build();
        var graph = deserializer.Deserialize<object>(text);
        var json = new YamlDotNet.Serialization.SerializerBuilder().JsonCompatible().Build().Serialize(graph);
        return JsonNode.Parse(json)!.AsObject();
    }

    private static string Hash(List<JsonObject> objects, string deployment) =>
        (string)objects.Single(o => (string?)o["kind"] == "Deployment" && (string?)o["metadata"]!["name"] == deployment)["spec"]!["template"]!["metadata"]!["annotations"]![SlipwayLabels.ConfigHashAnnotation]!;

    private static string Annotations(List<JsonObject> objects, string deployment) =>
        objects.Single(o => (string?)o["kind"] == "Deployment" && (string?)o["metadata"]!["name"] == deployment)["spec"]!["template"]!["metadata"]!["annotations"]!.ToJsonString();

    // ---- refusals ----------------------------------------------------------------------------------------------

    [Fact]
    public void A_writable_host_bind_is_refused_naming_pod_service_and_bind_at_its_line()
    {
        var error = Refused(Kind(), WebCompose.Replace("/etc/site.conf:ro", "/etc/site.conf:rw"));

        Assert.Contains("pod 'web', service 'web', bind '../config/web/site.conf:/etc/site.conf'", error.Message);
        Assert.Contains("writable host-path binds are not supported", error.Message);
        Assert.Equal(_workspace.Combine("stack/compose/docker-compose-web.yml"), error.Location!.File);
        Assert.Equal("7:9", $"{error.Location.Line}:{error.Location.Column}");
    }

    [Fact]
    public void A_bound_directory_with_subdirectories_is_refused()
    {
        var web = WebCompose.Replace("../config/web/site.conf:/etc/site.conf:ro", "../config/web:/etc/web:ro");

        var error = Refused(Kind(), web, w => w.WriteFile("stack/config/web/sub/x.conf", "x"));

        Assert.Contains("pod 'web', service 'web', bind '../config/web:/etc/web'", error.Message);
        Assert.Contains("contains subdirectories (sub)", error.Message);
    }

    [Fact]
    public void A_bound_file_over_700_KiB_is_refused_and_one_at_the_budget_is_accepted()
    {
        var over = Refused(Kind(), files: w => w.WriteFile("stack/config/web/site.conf", new string('x', 716_801)));
        Assert.Contains("holds 716801 bytes, exceeding the ConfigMap budget of 716800 bytes", over.Message);

        var rendered = Render(Kind(), files: w => w.WriteFile("stack/config/web/site.conf", new string('x', 716_800)));
        Assert.Contains("site.conf", Manifests(rendered));
    }

    [Fact]
    public void A_flat_directory_over_budget_in_total_is_refused()
    {
        var web = WebCompose.Replace("../config/web/site.conf:/etc/site.conf:ro", "../config/web:/etc/web:ro");

        var error = Refused(Kind(), web, w =>
        {
            w.WriteFile("stack/config/web/a.txt", new string('a', 400_000));
            w.WriteFile("stack/config/web/b.txt", new string('b', 400_000));
        });

        Assert.Contains("exceeding the ConfigMap budget", error.Message);
    }

    [Fact]
    public void A_missing_absolute_bind_source_in_the_stack_is_refused_at_create()
    {
        var error = Refused(Kind(), WebCompose.Replace("../config/web/site.conf", _workspace.Combine("stack", "config", "web", "missing.conf")));

        Assert.Contains("does not exist; Kubernetes needs its content now", error.Message);
    }

    [Fact]
    public void A_relative_bind_whose_source_does_not_exist_yet_warns_naming_it_and_is_read_at_start()
    {
        // ./foundry/workspace:/workspace, as five bundled laconic-so stacks have it: laconic-so defers it too.
        var rendered = Render(Kind(), WebCompose.Replace("../config/web/site.conf:/etc/site.conf:ro", "./foundry/workspace:/workspace"));

        var warning = Assert.Single(rendered.Warnings, w => w.Message.Contains("bind './foundry/workspace:/workspace'", StringComparison.Ordinal));
        Assert.Contains("does not exist yet", warning.Message);
        var objects = Objects(rendered);
        var cm = objects.Single(o => (string?)o["kind"] == "ConfigMap" && (string?)o["metadata"]!["annotations"]?[SlipwayLabels.ConfigMapFolderAnnotation] is not null);
        Assert.Equal(_workspace.Combine("stack", "compose", "foundry", "workspace"), (string?)cm["metadata"]!["annotations"]![SlipwayLabels.ConfigMapFolderAnnotation]);
        Assert.NotNull(Template(objects, $"{Id}-web")["metadata"]!["annotations"]![SlipwayLabels.ConfigMapDigestAnnotation]);
    }

    [Fact]
    public void An_absolute_bind_of_a_host_system_path_is_a_read_only_host_path_never_copied()
    {
        // host-metrics and node-exporter bind /proc, /sys and / of the host.
        var rendered = Render(Kind(), WebCompose.Replace("../config/web/site.conf:/etc/site.conf:ro", "/proc:/host/proc:ro\n      - /:/rootfs:ro"));

        var pod = Template(Objects(rendered), $"{Id}-web")["spec"]!;
        Assert.Contains("""{"name":"host-proc","hostPath":{"path":"/proc"}}""", pod["volumes"]!.ToJsonString());
        Assert.Contains("""{"name":"host-root","hostPath":{"path":"/"}}""", pod["volumes"]!.ToJsonString());
        Assert.Contains("""{"name":"host-proc","mountPath":"/host/proc","readOnly":"true"}""", pod["containers"]![0]!["volumeMounts"]!.ToJsonString());
        Assert.DoesNotContain(Objects(rendered), o => (string?)o["kind"] == "ConfigMap" && ((string?)o["metadata"]!["name"])!.Contains("proc", StringComparison.Ordinal));
        Assert.Contains(rendered.Warnings, w => w.Message.Contains("node-local", StringComparison.Ordinal));
        var table = KubernetesVolumes.Table(rendered.Volumes);
        Assert.Contains(table, l => l.StartsWith("bind /proc", StringComparison.Ordinal) && l.Contains("kind node container's /proc, read-only (hostPath): node-local", StringComparison.Ordinal));
        Assert.Contains(table, l => l.StartsWith("bind /  ", StringComparison.Ordinal) && l.Contains("- (never deleted)", StringComparison.Ordinal));
    }

    [Fact]
    public void User_root_is_uid_0_and_other_names_stay_refused()
    {
        var rendered = Render(Kind(), WebCompose.Replace("    image: shop/web:1.0.0", "    image: shop/web:1.0.0\n    user: root"));
        Assert.Equal("0", (string?)Template(Objects(rendered), $"{Id}-web")["spec"]!["containers"]![0]!["securityContext"]!["runAsUser"]);

        var error = Refused(Kind(), WebCompose.Replace("    image: shop/web:1.0.0", "    image: shop/web:1.0.0\n    user: grafana"));
        Assert.Contains("must be numeric", error.Message);
    }

    [Fact]
    public void Two_services_of_one_pod_on_the_same_port_are_refused_naming_both_and_the_port()
    {
        var web = WebCompose + "\n    ports:\n      - \"8545\"\n  geth-2:\n    image: shop/geth:1\n    ports:\n      - \"8545\"";

        var error = Refused(Kind(), web);

        Assert.Contains("services 'web' and 'geth-2' of pod 'web' both listen on port 8545/tcp", error.Message);
        Assert.Contains("compose file of its own", error.Hint);
    }

    [Fact]
    public void Start_first_is_a_rolling_update_without_unavailability_and_stop_first_the_default_is_recreate()
    {
        var startFirst = Objects(Render(Kind("rollout:\n  strategy: start-first\n")));
        var stopFirst = Objects(Render(Kind()));

        Assert.Equal("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"0","maxSurge":"1"}}""", Deployment(startFirst, $"{Id}-web")["spec"]!["strategy"]!.ToJsonString());
        Assert.Equal("""{"type":"Recreate"}""", Deployment(stopFirst, $"{Id}-web")["spec"]!["strategy"]!.ToJsonString());
    }

    [Fact]
    public void Start_first_with_a_read_write_once_claim_is_recreate_and_says_why()
    {
        var web = WebCompose + "\n      - data:/data\nvolumes:\n  data:";

        var rendered = Render(Kind("rollout:\n  strategy: start-first\nvolumes:\n  data: ./data/data\n"), web);

        Assert.Equal("""{"type":"Recreate"}""", Deployment(Objects(rendered), $"{Id}-web")["spec"]!["strategy"]!.ToJsonString());
        Assert.Equal("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"0","maxSurge":"1"}}""", Deployment(Objects(rendered), $"{Id}-worker")["spec"]!["strategy"]!.ToJsonString());
        var warning = Assert.Single(rendered.Warnings, w => w.Message.Contains("ReadWriteOnce", StringComparison.Ordinal));
        Assert.Contains("pod 'web'", warning.Message);
    }

    [Fact]
    public void A_compose_healthcheck_is_an_exec_readiness_probe_with_its_timings_and_disable_is_honoured()
    {
        var web = WebCompose.Replace("    image: shop/web:1.0.0", "    image: shop/web:1.0.0\n    healthcheck:\n      test: [\"CMD-SHELL\", \"wget -q -O- localhost/health\"]\n      interval: 10s\n      timeout: 3s\n      retries: 5\n      start_period: 1m");
        var worker = WorkerCompose.Replace("    image: shop/worker:1.0.0", "    image: shop/worker:1.0.0\n    healthcheck:\n      disable: true");

        var objects = Objects(Render(Kind(), web, worker));

        Assert.Equal("""{"exec":{"command":["/bin/sh","-c","wget -q -O- localhost/health"]},"periodSeconds":"10","timeoutSeconds":"3","failureThreshold":"5","initialDelaySeconds":"60"}""",
            Template(objects, $"{Id}-web")["spec"]!["containers"]![0]!["readinessProbe"]!.ToJsonString());
        Assert.Null(Template(objects, $"{Id}-worker")["spec"]!["containers"]![0]!["readinessProbe"]);
    }

    private static JsonObject Deployment(List<JsonObject> objects, string name) =>
        objects.Single(o => (string?)o["kind"] == "Deployment" && (string?)o["metadata"]!["name"] == name);

    private static JsonObject Template(List<JsonObject> objects, string deployment) => Deployment(objects, deployment)["spec"]!["template"]!.AsObject();

    [Fact]
    public void A_relative_volume_path_is_refused_for_k8s_and_resolved_against_D_for_kind()
    {
        var web = WebCompose + "\n      - data:/data\nvolumes:\n  data:";
        var k8s = "stack: ./stack\ndeploy-to: k8s\nkube-config: ./kubeconfig\nvolumes:\n  data: ./data/data\n";

        var error = Refused(k8s, web.Replace("    volumes:\n", "    volumes:\n").Replace("\n      - data:/data", "").Replace("/etc/site.conf:ro", "/etc/site.conf:ro\n      - data:/data"));

        Assert.Contains("relative path './data/data' is not supported for deploy-to k8s", error.Message);
        Assert.Equal((5, 3), (error.Location!.Line, error.Location.Column));

        var kind = Render(Kind("volumes:\n  data: ./data/data\n"), web.Replace("\n      - data:/data", "").Replace("/etc/site.conf:ro", "/etc/site.conf:ro\n      - data:/data"));
        var volume = Assert.Single(kind.Volumes);
        Assert.Equal(Path.Combine(D, "data", "data"), volume.HostPath);
        Assert.Contains($"hostPath: {Path.Combine(D, "data", "data")}", KubernetesFixture.Text(kind, KubernetesRenderer.KindConfigFile));
    }

    [Fact]
    public void Deploy_to_k8s_without_a_kube_config_is_refused()
    {
        var error = Refused("stack: ./stack\ndeploy-to: k8s\n");

        Assert.Contains("deploy-to k8s needs 'kube-config'", error.Message);
    }

    [Fact]
    public void A_user_name_is_refused_and_a_numeric_user_and_group_are_used()
    {
        var error = Refused(Kind(), WebCompose.Replace("    image: shop/web:1.0.0", "    image: shop/web:1.0.0\n    user: www-data"));
        Assert.Contains("user 'www-data' must be numeric", error.Message);

        var web = Objects(Render(Kind(), WebCompose.Replace("    image: shop/web:1.0.0", "    image: shop/web:1.0.0\n    user: \"1000:1000\""))).Single(o => (string?)o["kind"] == "Deployment" && ((string)o["metadata"]!["name"]!).EndsWith("-web"));
        var security = web["spec"]!["template"]!["spec"]!["containers"]![0]!["securityContext"]!;
        Assert.Equal(("1000", "1000"), (security["runAsUser"]!.ToString(), security["runAsGroup"]!.ToString()));
    }

    [Fact]
    public void A_proxy_to_an_unknown_service_is_refused_with_a_suggestion()
    {
        var error = Refused(Kind("network:\n  http-proxy:\n    - host-name: shop.example.org\n      routes:\n        - path: /\n          proxy-to: wbe:80\n"));

        Assert.Contains("proxy-to names service 'wbe'", error.Message);
        Assert.Contains("web", error.Hint);
    }

    [Fact]
    public void A_name_that_is_both_a_volume_and_a_configmap_is_refused()
    {
        var web = WebCompose + "\n      - cfg:/cfg\nvolumes:\n  cfg:";
        web = web.Replace("\n      - cfg:/cfg", "").Replace("/etc/site.conf:ro", "/etc/site.conf:ro\n      - cfg:/cfg");

        var error = Refused(Kind("volumes:\n  cfg:\nconfigmaps:\n  cfg: ./configmaps/cfg\n"), web, w => w.WriteFile("stack/config/cfg/a", "a"));

        Assert.Contains("'cfg' is both a volume and a configmap", error.Message);
    }

    [Fact]
    public void A_service_without_an_image_is_refused()
    {
        var error = Refused(Kind(), WebCompose.Replace("    image: shop/web:1.0.0", "    build: ."));

        Assert.Contains("service 'web' has no image", error.Message);
    }

    // ---- translation rules -------------------------------------------------------------------------------------

    [Fact]
    public void A_config_change_rolls_exactly_the_pods_that_consume_it()
    {
        var before = Objects(Render(Kind()));
        var after = Objects(Render(Kind().Replace("QUEUE: jobs", "QUEUE: other")));

        Assert.Equal(Hash(before, $"{Id}-web"), Hash(after, $"{Id}-web"));
        Assert.NotEqual(Hash(before, $"{Id}-worker"), Hash(after, $"{Id}-worker"));
    }

    [Fact]
    public void A_bound_file_change_rolls_only_the_pod_that_mounts_it()
    {
        var before = Objects(Render(Kind()));
        var after = Objects(Render(Kind(), files: w => w.WriteFile("stack/config/web/site.conf", "listen 8080;\n")));

        Assert.NotEqual(Annotations(before, $"{Id}-web"), Annotations(after, $"{Id}-web"));
        Assert.Equal(Annotations(before, $"{Id}-worker"), Annotations(after, $"{Id}-worker"));
    }

    [Fact]
    public void An_env_file_entry_change_rolls_only_the_pod_that_reads_it()
    {
        var web = WebCompose.Replace("    image: shop/web:1.0.0", "    image: shop/web:1.0.0\n    env_file: ../config/web/web.env");

        var before = Objects(Render(Kind(), web, files: w => w.WriteFile("stack/config/web/web.env", "MODE=a\n")));
        var after = Objects(Render(Kind(), web, files: w => w.WriteFile("stack/config/web/web.env", "MODE=b\n")));

        Assert.NotEqual(Annotations(before, $"{Id}-web"), Annotations(after, $"{Id}-web"));
        Assert.Equal(Annotations(before, $"{Id}-worker"), Annotations(after, $"{Id}-worker"));
    }

    [Fact]
    public void A_spec_configmap_content_change_rolls_only_the_pod_that_mounts_it()
    {
        var web = WebCompose.Replace("/etc/site.conf:ro", "/etc/site.conf:ro\n      - settings:/etc/settings") + "\nvolumes:\n  settings:";
        var spec = Kind("configmaps:\n  settings: ./configmaps/settings\n");

        var before = Objects(Render(spec, web, files: w => w.WriteFile("stack/config/settings/app.ini", "[app]\n")));
        var after = Objects(Render(spec, web, files: w => w.WriteFile("stack/config/settings/app.ini", "[app]\ndebug = true\n")));

        Assert.NotEqual(Annotations(before, $"{Id}-web"), Annotations(after, $"{Id}-web"));
        Assert.Equal(Annotations(before, $"{Id}-worker"), Annotations(after, $"{Id}-worker"));
    }

    [Fact]
    public void Spec_secrets_are_optional_references_so_a_secret_not_created_yet_does_not_stop_the_pods()
    {
        // The real server's answer to a required reference: CreateContainerConfigError: secret "test-secret" not found.
        var objects = Objects(Render(Kind("secrets:\n  test-secret: [TEST_SECRET_KEY]\n  all-keys: []\n")));

        var web = objects.Single(o => (string?)o["kind"] == "Deployment" && (string?)o["metadata"]!["name"] == $"{Id}-web");
        var container = web["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var keyRef = container["env"]!.AsArray().Single(e => (string?)e!["name"] == "TEST_SECRET_KEY")!["valueFrom"]!["secretKeyRef"]!;
        Assert.Equal(("test-secret", "TEST_SECRET_KEY", "true"), ((string?)keyRef["name"], (string?)keyRef["key"], (string?)keyRef["optional"]));
        Assert.Contains("optional: true\n", Manifests(Render(Kind("secrets:\n  test-secret: [TEST_SECRET_KEY]\n"))), StringComparison.Ordinal);
        Assert.Equal("""[{"secretRef":{"name":"all-keys","optional":"true"}}]""", container["envFrom"]!.ToJsonString());
    }

    [Fact]
    public void A_config_key_no_pod_consumes_changes_no_hash()
    {
        var without = Objects(Render(Kind()));
        var with = Objects(Render(Kind("").Replace("QUEUE: jobs\n", "QUEUE: jobs\n  UNUSED: one\n")));
        var changed = Objects(Render(Kind("").Replace("QUEUE: jobs\n", "QUEUE: jobs\n  UNUSED: two\n")));

        foreach (var deployment in new[] { $"{Id}-web", $"{Id}-worker" })
        {
            Assert.Equal(Hash(without, deployment), Hash(with, deployment));
            Assert.Equal(Hash(with, deployment), Hash(changed, deployment));
        }
    }

    [Fact]
    public void Another_spec_secret_key_rolls_every_pod_since_every_container_reads_the_spec_secrets()
    {
        var before = Objects(Render(Kind("secrets:\n  api: [TOKEN]\n")));
        var after = Objects(Render(Kind("secrets:\n  api: [TOKEN, OTHER]\n")));

        Assert.NotEqual(Hash(before, $"{Id}-web"), Hash(after, $"{Id}-web"));
        Assert.NotEqual(Hash(before, $"{Id}-worker"), Hash(after, $"{Id}-worker"));
    }

    [Fact]
    public void The_same_inputs_with_another_key_give_every_pod_another_hash()
    {
        var first = Objects(Render(Kind()));
        var again = Objects(Render(Kind()));
        var otherKey = Objects(Render(Kind(), configHashKey: Enumerable.Repeat((byte)7, 32).ToArray()));

        foreach (var deployment in new[] { $"{Id}-web", $"{Id}-worker" })
        {
            Assert.Equal(Hash(first, deployment), Hash(again, deployment));
            Assert.NotEqual(Hash(first, deployment), Hash(otherKey, deployment));
        }
    }

    [Fact]
    public void The_hash_is_keyed_so_no_one_without_the_key_can_test_a_guessed_value_and_the_key_is_in_no_rendered_file()
    {
        var rendered = Render(Kind());
        var worker = Hash(Objects(rendered), $"{Id}-worker");

        // What an unkeyed digest of the consumed value would be: the annotation must not be it.
        Assert.NotEqual(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("config QUEUE=jobs"))), worker);
        Assert.Matches("^[0-9a-f]{64}$", worker);
        var key = KubernetesFixture.ConfigHashKey;
        foreach (var file in rendered.Files)
        {
            var text = Encoding.UTF8.GetString(file.Content);
            Assert.DoesNotContain(Encoding.ASCII.GetString(key), text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexStringLower(key), text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(key), text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_Kubernetes_render_needs_a_config_hash_key_of_at_least_16_bytes()
    {
        Assert.Throws<ArgumentException>(() => Render(Kind(), configHashKey: new byte[8]));
    }

    [Fact]
    public void Registry_credentials_put_a_pull_secret_reference_on_every_pod_and_no_token_or_secret_object_in_D()
    {
        var rendered = Render(Kind("registry-credentials:\n  server: registry.example.org\n  token-env: SLIPWAY_TEST_TOKEN\n"));

        var objects = Objects(rendered);
        foreach (var deployment in objects.Where(o => (string?)o["kind"] == "Deployment"))
        {
            Assert.Equal($"{Id}-registry", (string)deployment["spec"]!["template"]!["spec"]!["imagePullSecrets"]![0]!["name"]!);
        }

        Assert.DoesNotContain(objects, o => (string?)o["metadata"]!["name"] == $"{Id}-registry");
        Assert.DoesNotContain(rendered.Files, f => Encoding.UTF8.GetString(f.Content).Contains("dockerconfigjson", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_object_carries_slipways_labels_and_the_namespace_names_its_owner()
    {
        var objects = Objects(Render(Kind()));

        foreach (var obj in objects)
        {
            var labels = obj["metadata"]!["labels"]!;
            Assert.Equal("slipway", (string)labels[SlipwayLabels.ManagedByLabel]!);
            Assert.Equal(Id, (string)labels[SlipwayLabels.DeploymentIdLabel]!);
            Assert.Equal("shop", (string)labels[SlipwayLabels.StackLabel]!);
        }

        var ns = objects[0];
        Assert.Equal("Namespace", (string)ns["kind"]!);
        Assert.Equal("slipway-shop", (string)ns["metadata"]!["name"]!);
        Assert.Equal(D, (string)ns["metadata"]!["annotations"]![SlipwayLabels.OwnerAnnotation]!);
    }

    [Fact]
    public void Manifests_list_the_namespace_first_then_configmaps_secrets_volumes_services_deployments_and_ingress()
    {
        var web = WebCompose.Replace("/etc/site.conf:ro", "/etc/site.conf:ro\n      - data:/data") + "\n    ports:\n      - \"80\"\nvolumes:\n  data:";
        var spec = Kind("volumes:\n  data: /srv/data\nnetwork:\n  http-proxy:\n    - host-name: shop.example.org\n      routes:\n        - path: /\n          proxy-to: web:80\n");

        var kinds = Objects(Render(spec, web)).Select(o => (string)o["kind"]!).Distinct().ToList();

        Assert.Equal(["Namespace", "ConfigMap", "Secret", "PersistentVolume", "PersistentVolumeClaim", "Service", "Deployment", "Ingress"], kinds);
    }

    [Fact]
    public void Spec_configmaps_are_copied_into_D_configmaps()
    {
        var web = WebCompose.Replace("/etc/site.conf:ro", "/etc/site.conf:ro\n      - settings:/etc/settings") + "\nvolumes:\n  settings:";

        var rendered = Render(Kind("configmaps:\n  settings: ./configmaps/settings\n"), web, files: w => w.WriteFile("stack/config/settings/app.ini", "[app]\n"));

        Assert.Equal("[app]\n", KubernetesFixture.Text(rendered, "configmaps/settings/app.ini"));
        Assert.Contains($"name: {Id}-settings", Manifests(rendered));
    }

    [Fact]
    public void Deploy_to_k8s_copies_the_kube_config_as_a_secret_file()
    {
        var rendered = Render("stack: ./stack\ndeploy-to: k8s\nkube-config: ./kubeconfig\nconfig:\n  GREETING: hi\n  QUEUE: q\n");

        var file = Assert.Single(rendered.Files, f => f.RelativePath == KubernetesRenderer.KubeConfigFile);
        Assert.True(file.Secret);
        Assert.DoesNotContain(rendered.Files, f => f.RelativePath == KubernetesRenderer.KindConfigFile);
        Assert.True(Assert.Single(rendered.Files, f => f.RelativePath == KubernetesRenderer.ManifestsFile).Secret);
    }

    [Fact]
    public void Long_service_names_still_give_valid_dns_labels()
    {
        var worker = WorkerCompose.Replace("services:\n  worker:", "services:\n  " + new string('w', 70) + ":");

        var rendered = Render(Kind(), worker: worker);

        Assert.All(Objects(rendered), o => Assert.True(KubeNames.IsDnsLabel((string)o["metadata"]!["name"]!)));
    }

    [Fact]
    public void Every_compose_service_with_ports_gets_a_service_named_as_it_over_its_container_ports()
    {
        var web = WebCompose + "\n    ports:\n      - \"8080:80\"\n    expose:\n      - \"9000\"";
        var worker = WorkerCompose + "\n    ports:\n      - \"5000/udp\"";

        var objects = Objects(Render(Kind(), web, worker));

        var named = objects.Single(o => (string?)o["kind"] == "Service" && (string?)o["metadata"]!["name"] == "web");
        Assert.Equal("ClusterIP", (string?)named["spec"]!["type"]);
        Assert.Equal("web", (string?)named["spec"]!["selector"]![SlipwayLabels.PodLabel]);
        Assert.Equal(["tcp-80:80/TCP", "tcp-9000:9000/TCP"], ((JsonArray)named["spec"]!["ports"]!).Select(p => $"{p!["name"]}:{p["port"]}/{p["protocol"]}"));
        var other = objects.Single(o => (string?)o["kind"] == "Service" && (string?)o["metadata"]!["name"] == "worker");
        Assert.Equal("udp-5000", (string?)other["spec"]!["ports"]![0]!["name"]);
    }

    [Fact]
    public void A_service_without_ports_gets_no_named_service_and_an_invalid_name_is_sanitized_with_a_warning()
    {
        var web = WebCompose.Replace("services:\n  web:", "services:\n  Web_1:") + "\n    expose:\n      - \"80\"";

        var rendered = Render(Kind(), web);

        var services = Objects(rendered).Where(o => (string?)o["kind"] == "Service").Select(o => (string)o["metadata"]!["name"]!).ToList();
        Assert.Equal(["web-1"], services);
        Assert.Contains(rendered.Warnings, w => w.Message.Contains("service 'Web_1' is not a valid Kubernetes Service name") && w.Message.Contains("'web-1'"));
    }

    [Fact]
    public void External_services_are_an_external_name_for_a_host_and_a_headless_service_with_an_endpoint_slice_for_an_ip()
    {
        var rendered = Render(Kind("external-services:\n  db:\n    host: DB.example.org.\n    port: 5432\n  cache:\n    ip: 10.0.0.7\n    port: 6379\n  api:\n    host: api.example.org\n"));

        var objects = Objects(rendered);
        var db = objects.Single(o => (string?)o["kind"] == "Service" && (string?)o["metadata"]!["name"] == "db");
        Assert.Equal("""{"type":"ExternalName","externalName":"db.example.org","ports":[{"name":"port-5432","port":"5432","protocol":"TCP"}]}""", db["spec"]!.ToJsonString());
        Assert.Equal("443", (string?)objects.Single(o => (string?)o["metadata"]!["name"] == "api")["spec"]!["ports"]![0]!["port"]);
        var cache = objects.Single(o => (string?)o["kind"] == "Service" && (string?)o["metadata"]!["name"] == "cache");
        Assert.Equal("None", (string?)cache["spec"]!["clusterIP"]);
        Assert.Null(cache["spec"]!["selector"]);
        var slice = objects.Single(o => (string?)o["kind"] == "EndpointSlice");
        Assert.Equal($"{Id}-cache", (string?)slice["metadata"]!["name"]);
        Assert.Equal("cache", (string?)slice["metadata"]!["labels"]!["kubernetes.io/service-name"]);
        Assert.Equal("""[{"addresses":["10.0.0.7"]}]""", slice["endpoints"]!.ToJsonString());
        Assert.DoesNotContain(rendered.Warnings, w => w.Message.Contains("external-services", StringComparison.Ordinal));
    }

    [Fact]
    public void The_selector_form_of_an_external_service_is_a_headless_service_with_an_empty_slice_start_fills()
    {
        var rendered = Render(Kind("external-services:\n  peers:\n    selector: {app: node}\n    namespace: other\n    port: 26656\n"));

        var objects = Objects(rendered);
        var peers = objects.Single(o => (string?)o["kind"] == "Service" && (string?)o["metadata"]!["name"] == "peers");
        Assert.Equal("None", (string?)peers["spec"]!["clusterIP"]);
        Assert.Null(peers["spec"]!["selector"]);
        var slice = objects.Single(o => (string?)o["kind"] == "EndpointSlice");
        Assert.Equal("other/app=node", (string?)slice["metadata"]!["annotations"]![SlipwayLabels.ExternalSelectorAnnotation]);
        Assert.Equal("[]", slice["endpoints"]!.ToJsonString());
        Assert.Equal("26656", (string?)slice["ports"]![0]!["port"]);
        Assert.DoesNotContain(rendered.Warnings, w => w.Message.Contains("external-services", StringComparison.Ordinal));
    }

    // ---- ca-certificates, unlimited-memlock, maintenance-service ----------------------------------------------

    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n";

    [Fact]
    public void Ca_certificates_are_one_secret_mounted_in_every_container_with_node_extra_ca_certs_naming_all_of_them()
    {
        var rendered = Render(Kind("ca-certificates: [certs/root.pem, certs/inner.pem]\n"), files: w =>
        {
            w.WriteFile("certs/root.pem", Pem);
            w.WriteFile("certs/inner.pem", Pem.Replace("cert", "inner", StringComparison.Ordinal));
        });

        var objects = Objects(rendered);
        var secret = objects.Single(o => (string?)o["kind"] == "Secret" && (string?)o["metadata"]!["name"] == $"{Id}-ca-certificates");
        Assert.Equal(["laconic-extra-ca-0.pem", "laconic-extra-ca-1.pem", "laconic-extra-ca-bundle.pem"], secret["data"]!.AsObject().Select(d => d.Key));
        Assert.Equal(Pem + Pem.Replace("cert", "inner", StringComparison.Ordinal), Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]!["laconic-extra-ca-bundle.pem"]!)));
        foreach (var deployment in objects.Where(o => (string?)o["kind"] == "Deployment"))
        {
            var pod = deployment["spec"]!["template"]!["spec"]!;
            Assert.Contains(pod["volumes"]!.AsArray(), v => (string?)v!["secret"]?["secretName"] == $"{Id}-ca-certificates");
            var container = pod["containers"]![0]!;
            Assert.Equal(["/etc/ssl/certs/laconic-extra-ca-0.pem", "/etc/ssl/certs/laconic-extra-ca-1.pem", "/etc/ssl/certs/laconic-extra-ca-bundle.pem"],
                container["volumeMounts"]!.AsArray().Where(m => (string?)m!["name"] == "ca-certificates").Select(m => (string)m!["mountPath"]!));
            Assert.All(container["volumeMounts"]!.AsArray().Where(m => (string?)m!["name"] == "ca-certificates"), m => Assert.Equal("true", (string?)m!["readOnly"]));
            Assert.Contains(container["env"]!.AsArray(), e => (string?)e!["name"] == "NODE_EXTRA_CA_CERTS" && (string?)e["value"] == "/etc/ssl/certs/laconic-extra-ca-bundle.pem");
        }
    }

    [Fact]
    public void A_changed_ca_certificate_rolls_the_pods_and_a_service_setting_node_extra_ca_certs_keeps_its_own()
    {
        var before = Hash(Objects(Render(Kind("ca-certificates: [root.pem]\n"), files: w => w.WriteFile("root.pem", Pem))), $"{Id}-web");
        var web = WebCompose.Replace("GREETING: ${GREETING}", "GREETING: ${GREETING}\n      NODE_EXTRA_CA_CERTS: /own.pem", StringComparison.Ordinal);
        var after = Render(Kind("ca-certificates: [root.pem]\n"), web, files: w => w.WriteFile("root.pem", Pem.Replace("cert", "next", StringComparison.Ordinal)));

        Assert.NotEqual(before, Hash(Objects(after), $"{Id}-web"));
        var env = Objects(after).Single(o => (string?)o["metadata"]!["name"] == $"{Id}-web")["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Equal("/own.pem", (string?)Assert.Single(env, e => (string?)e!["name"] == "NODE_EXTRA_CA_CERTS")!["value"]);
    }

    [Fact]
    public void A_missing_or_non_pem_ca_certificate_is_refused_at_its_line()
    {
        var missing = Refused(Kind("ca-certificates:\n  - gone.pem\n"));
        Assert.Contains("gone.pem is not a file", missing.Message);
        Assert.Equal(7, missing.Location!.Line);

        Assert.Contains("holds no PEM certificate", Refused(Kind("ca-certificates: [key.txt]\n"), files: w => w.WriteFile("key.txt", "hello")).Message);
    }

    [Fact]
    public void Unlimited_memlock_on_kind_renders_the_runtime_class_the_pods_run_under_the_node_patch_and_the_runtime_spec()
    {
        var rendered = Render(Kind("security:\n  unlimited-memlock: true\n"));

        var objects = Objects(rendered);
        var runtimeClass = objects.Single(o => (string?)o["kind"] == "RuntimeClass");
        Assert.Equal(("high-memlock", "high-memlock", null), ((string?)runtimeClass["metadata"]!["name"], (string?)runtimeClass["handler"], (string?)runtimeClass["metadata"]!["namespace"]));
        Assert.All(objects.Where(o => (string?)o["kind"] == "Deployment"), d => Assert.Equal("high-memlock", (string?)d["spec"]!["template"]!["spec"]!["runtimeClassName"]));
        var specPath = Path.Combine(D, "high-memlock-spec.json");
        var kind = KubernetesFixture.Text(rendered, KubernetesRenderer.KindConfigFile);
        Assert.Contains($"base_runtime_spec = \"{specPath}\"", kind);
        Assert.Contains($"hostPath: {specPath}\n    containerPath: {specPath}", kind);
        var runtime = JsonNode.Parse(KubernetesFixture.Text(rendered, "high-memlock-spec.json"))!;
        Assert.Contains(runtime["process"]!["rlimits"]!.AsArray(), r => (string?)r!["type"] == "RLIMIT_MEMLOCK" && (ulong)r["hard"]! == ulong.MaxValue && (ulong)r["soft"]! == ulong.MaxValue);
        Assert.Contains(runtime["mounts"]!.AsArray(), m => (string?)m!["destination"] == "/proc");
    }

    [Fact]
    public void Unlimited_memlock_on_k8s_names_the_runtime_class_but_leaves_the_cluster_scoped_object_to_the_operator()
    {
        var rendered = Render("stack: ./stack\ndeploy-to: k8s\nkube-config: ./kubeconfig\nconfig:\n  GREETING: hi\n  QUEUE: jobs\nsecurity:\n  unlimited-memlock: true\n");

        Assert.DoesNotContain(Objects(rendered), o => (string?)o["kind"] == "RuntimeClass");
        Assert.All(Objects(rendered).Where(o => (string?)o["kind"] == "Deployment"), d => Assert.Equal("high-memlock", (string?)d["spec"]!["template"]!["spec"]!["runtimeClassName"]));
        Assert.Contains("RLIMIT_MEMLOCK", KubernetesFixture.Text(rendered, "high-memlock-spec.json"));
    }

    private const string MaintCompose = """
        services:
          maint:
            image: shop/maintenance:1
        """;

    [Fact]
    public void Maintenance_service_gets_its_pods_cluster_ip_service_and_the_ingress_names_it_as_the_stand_in_backend()
    {
        var web = WebCompose + "\n    ports:\n      - \"80\"";
        var rendered = Render(Kind("maintenance-service: maint:8080\nnetwork:\n  http-proxy:\n    - host-name: shop.example.org\n      routes:\n        - path: /\n          proxy-to: web:80\n"), web, MaintCompose);

        var objects = Objects(rendered);
        var ingress = objects.Single(o => (string?)o["kind"] == "Ingress");
        Assert.Equal($"{Id}-worker:8080", (string?)ingress["metadata"]!["annotations"]![SlipwayLabels.MaintenanceBackendAnnotation]);
        var service = objects.Single(o => (string?)o["kind"] == "Service" && (string?)o["metadata"]!["name"] == $"{Id}-worker");
        Assert.Equal("8080", (string?)service["spec"]!["ports"]![0]!["port"]);
        Assert.Equal($"{Id}-worker", (string?)objects.Single(o => (string?)o["kind"] == "Deployment" && (string?)o["spec"]!["selector"]!["matchLabels"]!["slipway.io/pod"] == "worker")["metadata"]!["name"]);
        Assert.DoesNotContain(rendered.Warnings, w => w.Message.Contains("maintenance", StringComparison.Ordinal));
    }

    [Fact]
    public void Maintenance_service_naming_no_service_is_refused_and_without_http_proxy_it_warns_it_has_no_effect()
    {
        Assert.Contains("maintenance-service names service 'nobody'", Refused(Kind("maintenance-service: nobody:80\n")).Message);

        var rendered = Render(Kind("maintenance-service: worker:8080\n"));
        Assert.Contains(rendered.Warnings, w => w.Message.Contains("maintenance-service has no effect without network.http-proxy", StringComparison.Ordinal));
    }

    [Fact]
    public void An_external_service_needs_one_target_a_valid_ip_and_a_name_no_compose_service_has()
    {
        Assert.Contains("needs exactly one of 'host'", Refused(Kind("external-services:\n  db:\n    host: a.org\n    ip: 10.0.0.1\n")).Message);
        Assert.Contains("'10.0.0' is not an IPv4 address", Refused(Kind("external-services:\n  db:\n    ip: 10.0.0\n")).Message);
        var web = WebCompose + "\n    ports:\n      - \"80\"";
        Assert.Contains("another Service is already named 'web'", Refused(Kind("external-services:\n  web:\n    host: a.org\n"), web).Message);
    }
}
