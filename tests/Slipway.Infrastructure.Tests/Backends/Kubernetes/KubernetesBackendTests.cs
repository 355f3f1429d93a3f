using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Backends.Kubernetes;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.Backends.Kubernetes;

public sealed class KubernetesBackendTests : IDisposable
{
    private const string Id = KubernetesSample.Id;
    private const string Ns = KubernetesSample.Namespace;
    private const string Token = "ghp-registry-token-0123456789";
    private const string Selector = $"slipway.io/deployment-id={Id}";
    private const string OwnedKinds = "deployments.apps,services,configmaps,secrets,ingresses.networking.k8s.io,jobs.batch";
    private const string NotFound = "Error from server (NotFound): namespaces \"shop-ns\" not found\n";

    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new() { Strict = true };
    private readonly List<string> _warnings = [];
    private readonly List<string> _progress = [];
    private readonly Dictionary<string, string?> _environment = new() { [KubernetesSample.TokenVariable] = Token };
    private string _d = "";

    public void Dispose() => _workspace.Dispose();

    private KubernetesBackend Backend(bool registry = true, bool jobs = true)
    {
        _d = KubernetesSample.Write(_workspace, registry: registry, jobs: jobs);
        return Create();
    }

    private KubernetesBackend Create(bool scriptDebug = false) => new(DeploymentSession.Open(_d), ToolPaths.Default.With(_runner), new KubernetesBackendOptions
    {
        GetEnvironment = name => _environment.GetValueOrDefault(name),
        Warn = _warnings.Add,
        Delay = (_, _) => Task.CompletedTask,
        ScriptDebug = scriptDebug,
    });

    private string[] K(params string[] args) => ["kubectl", "--kubeconfig", $"{_d}/kubeconfig.yml", .. args];

    private static string[] Argv(ProcessSpec spec) => [spec.FileName, .. spec.Arguments];

    private ApplyOptions Options(Dictionary<string, string>? pins = null) => new() { Progress = _progress.Add, ImagePins = pins ?? [] };

    private string NamespaceJson(string? owner) =>
        "{\"metadata\":{\"name\":\"" + Ns + "\"" + (owner is null ? "" : ",\"annotations\":{\"slipway.io/owner\":\"" + owner + "\"}") + "}}";

    private static string Live(params string[] names) => string.Join('\n', names) + "\n";

    private static readonly string[] Declared =
    [
        $"configmap/{Id}-config", $"service/{Id}-nodeport-web-8080-tcp", $"deployment.apps/{Id}-web", $"deployment.apps/{Id}-worker",
        $"secret/{Id}-registry", $"job.batch/{Id}-job-migrate",
    ];

    /// <summary>A cluster where the namespace does not exist yet and every step succeeds.</summary>
    private void FreshCluster(string liveObjects = "", string existingJobs = "")
    {
        _runner.On(K("get", "namespace", Ns, "-o", "json")).Returns(1, stderr: NotFound);
        _runner.On(K("get", "jobs.batch")).Returns(0, existingJobs);
        _runner.On(K("apply")).Returns(0, "namespace/shop-ns serverside-applied\n");
        _runner.On(K("get", OwnedKinds)).Returns(0, liveObjects);
        _runner.On(K("delete")).Returns(0);
        KubernetesSample.Healthy(_runner, K);
    }

    private ProcessSpec ApplyCall() => _runner.Single(c => c.Arguments.Contains("apply"));

    [Fact]
    public async Task Start_checks_the_namespace_applies_once_prunes_and_waits_until_every_rollout_is_done_and_every_container_ready()
    {
        var backend = Backend();
        FreshCluster(Live([.. Declared, $"configmap/{Id}-old", $"service/{Id}-gone"]));

        await backend.ApplyAsync(Options(), CancellationToken.None);

        Assert.Equal(
        [
            K("get", "namespace", Ns, "-o", "json"),
            K("get", "jobs.batch", "-n", Ns, "-l", Selector, "-o", "name"),
            K("apply", "--server-side", "--field-manager=slipway", "-f", "-"),
            K("get", OwnedKinds, "-n", Ns, "-l", Selector, "-o", "name"),
            K("delete", "-n", Ns, "--wait=true", "--ignore-not-found", $"configmap/{Id}-old", $"service/{Id}-gone"),
            K("get", "deployments.apps", "-n", Ns, "-l", Selector, "-o", "json"),
            K("get", "pods", "-n", Ns, "-l", Selector, "-o", "json"),
            K("get", "persistentvolumeclaims", "-n", Ns, "-l", Selector, "-o", "json"),
        ], _runner.Calls.Select(Argv));
        Assert.All(_runner.Calls, c => Assert.Equal(_d, c.WorkingDirectory));
    }

    /// <summary>The sample D with the web pod as a dict pod whose start scripts deploy create copied into D/pods/web/scripts/.</summary>
    private KubernetesBackend BackendWithPodScripts(out string pre, out string post, bool scriptDebug = false)
    {
        _d = KubernetesSample.Write(_workspace, registry: true, jobs: true);
        File.WriteAllText(Path.Combine(_d, "stack.yml"),
            "name: shop\npods:\n  - name: web\n    pre_start_command: pre.sh\n    post_start_command: post.sh\n  - name: worker\njobs:\n  - migrate\n");
        pre = _workspace.WriteFile("deployment/pods/web/scripts/pre.sh", "#!/bin/sh\n");
        post = _workspace.WriteFile("deployment/pods/web/scripts/post.sh", "#!/bin/sh\n");
        return Create(scriptDebug);
    }

    [Fact]
    public async Task Pod_start_scripts_run_on_this_host_around_the_apply_told_the_deployments_cluster_and_namespace()
    {
        var backend = BackendWithPodScripts(out var pre, out var post);
        FreshCluster(Live(Declared));
        _runner.On(pre).Returns(0);
        _runner.On(post).Returns(0);

        await backend.ApplyAsync(Options(), CancellationToken.None);

        var files = _runner.Calls.Select(c => c.FileName == "kubectl" ? c.Arguments.Contains("apply") ? "apply" : "kubectl" : c.FileName).Where(f => f != "kubectl").ToList();
        Assert.Equal([pre, "apply", post], files);
        foreach (var call in _runner.Calls.Where(c => c.FileName != "kubectl"))
        {
            Assert.Equal(Id, call.Environment["CERC_SO_COMPOSE_PROJECT"]);
            Assert.Equal($"{_d}/kubeconfig.yml", call.Environment["KUBECONFIG"]);
            Assert.Equal($"--kubeconfig {_d}/kubeconfig.yml", call.Environment["SLIPWAY_KUBECTL_ARGS"]);
            Assert.Equal(Ns, call.Environment["SLIPWAY_NAMESPACE"]);
            Assert.Equal(Path.GetDirectoryName(pre), call.WorkingDirectory);
        }
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, null)]
    public async Task With_debug_pod_start_scripts_see_CERC_SCRIPT_DEBUG(bool debug, string? expected)
    {
        var backend = BackendWithPodScripts(out var pre, out var post, debug);
        FreshCluster(Live(Declared));
        _runner.On(pre).Returns(0);
        _runner.On(post).Returns(0);

        await backend.ApplyAsync(Options(), CancellationToken.None);

        Assert.All(_runner.Calls.Where(c => c.FileName != "kubectl"), c => Assert.Equal(expected, c.Environment.GetValueOrDefault("CERC_SCRIPT_DEBUG")));
    }

    [Fact]
    public async Task A_failing_pre_start_script_stops_the_start_before_anything_is_applied()
    {
        var backend = BackendWithPodScripts(out var pre, out _);
        FreshCluster();
        _runner.On(pre).Returns(3, stderr: "not ready\n");

        var failure = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(Options(), CancellationToken.None));

        Assert.Contains("pod 'web': pre_start_command pre.sh failed (exit code 3)", failure.Message);
        Assert.DoesNotContain(_runner.Calls, c => c.FileName == "kubectl");
    }

    [Fact]
    public async Task Start_records_the_namespace_before_applying_so_a_later_prune_knows_where_it_applied()
    {
        var backend = Backend();
        FreshCluster();

        await backend.ApplyAsync(Options(), CancellationToken.None);

        Assert.Contains($"namespace {Ns}\n", File.ReadAllText(Path.Combine(_d, ".slipway", OwnedRecord.FileName)));
    }

    [Fact]
    public async Task A_changed_namespace_prunes_the_old_namespaces_objects_by_label_keeps_its_claims_and_says_so()
    {
        var backend = Backend();
        File.WriteAllText(Path.Combine(_d, ".slipway", OwnedRecord.FileName), "namespace old-ns\n");
        _runner.On(K("get", OwnedKinds, "-n", "old-ns")).Returns(0, Live($"deployment.apps/{Id}-web", $"service/web", $"secret/{Id}-registry"));
        _runner.On(K("get", "persistentvolumeclaims", "-n", "old-ns")).Returns(0, Live($"persistentvolumeclaim/{Id}-web-data"));
        FreshCluster(Live(Declared));

        await backend.ApplyAsync(Options(), CancellationToken.None);

        var calls = _runner.Calls.Select(Argv).ToList();
        Assert.Contains(K("get", OwnedKinds, "-n", "old-ns", "-l", Selector, "-o", "name"), calls);
        Assert.Contains(K("delete", "-n", "old-ns", "--wait=true", "--ignore-not-found", $"deployment.apps/{Id}-web", $"secret/{Id}-registry", "service/web"), calls);
        Assert.DoesNotContain(calls, c => c.Contains("delete") && c.Contains("-n") && c.Contains(Ns));
        Assert.DoesNotContain(calls, c => c.Contains("delete") && c.Any(a => a.StartsWith("persistentvolumeclaim", StringComparison.Ordinal)));
        var warning = Assert.Single(_warnings, w => w.Contains("old-ns"));
        Assert.Contains($"still holds its volume claims (persistentvolumeclaim/{Id}-web-data)", warning);
        Assert.Contains("namespace old-ns\n", File.ReadAllText(Path.Combine(_d, ".slipway", OwnedRecord.FileName)));
    }

    [Fact]
    public async Task An_old_namespace_left_without_claims_is_forgotten_and_its_deletion_left_to_the_operator()
    {
        var backend = Backend();
        File.WriteAllText(Path.Combine(_d, ".slipway", OwnedRecord.FileName), "namespace old-ns\n");
        _runner.On(K("get", OwnedKinds, "-n", "old-ns")).Returns(0);
        _runner.On(K("get", "persistentvolumeclaims", "-n", "old-ns")).Returns(0);
        FreshCluster();

        await backend.ApplyAsync(Options(), CancellationToken.None);

        Assert.DoesNotContain(_runner.Calls.Select(Argv), c => c.Contains("delete"));
        Assert.Contains(_warnings, w => w.Contains("'kubectl delete namespace old-ns'"));
        Assert.DoesNotContain("old-ns", File.ReadAllText(Path.Combine(_d, ".slipway", OwnedRecord.FileName)));
    }

    [Fact]
    public async Task Prune_looks_through_every_kind_ever_applied_not_a_fixed_list()
    {
        var backend = Backend();
        File.WriteAllText(Path.Combine(_d, ".slipway", OwnedRecord.FileName), $"namespace {Ns}\nkind endpoints\nkind networkpolicies.networking.k8s.io\n");
        FreshCluster();
        _runner.On(K("get", OwnedKinds + ",endpoints,networkpolicies.networking.k8s.io")).Returns(0, Live([.. Declared, "endpoints/old-db"]));

        await backend.ApplyAsync(Options(), CancellationToken.None);

        Assert.Contains(K("delete", "-n", Ns, "--wait=true", "--ignore-not-found", "endpoints/old-db"), _runner.Calls.Select(Argv));
    }

    [Fact]
    public void A_broken_owned_record_is_an_error_naming_its_line()
    {
        var backend = Backend();
        File.WriteAllText(Path.Combine(_d, ".slipway", OwnedRecord.FileName), "namespace a\nnamespaces b c\n");

        var ex = Assert.Throws<SlipwayException>(() => OwnedRecord.Read(Path.Combine(_d, ".slipway")));

        Assert.Contains($"{OwnedRecord.FileName}:2:1: expected 'namespace NAME' or 'kind RESOURCE'", ex.Message);
    }

    [Fact]
    public async Task Prepare_says_which_spec_secrets_do_not_exist_yet_with_the_command_and_apply_does_not_ask_again()
    {
        var backend = Backend();
        File.AppendAllText(Path.Combine(_d, "spec.yml"), "secrets:\n  test-secret: [TEST_SECRET_KEY]\n  present: []\n");
        backend = Create();
        _runner.On(K("get", "secrets")).Returns(0, "secret/present\n");

        var warning = Assert.Single(await backend.PrepareWarningsAsync(CancellationToken.None));

        Assert.Contains("Secret test-secret", warning);
        Assert.Contains($"does not exist in namespace {Ns}", warning);
        Assert.Contains($"kubectl -n {Ns} create secret generic test-secret --from-literal=TEST_SECRET_KEY=...", warning);
        Assert.Equal([K("get", "secrets", "-n", Ns, "-o", "name")], _runner.Calls.Select(Argv));

        FreshCluster();
        await backend.ApplyAsync(Options(), CancellationToken.None);
        Assert.Single(_runner.Calls, c => c.Arguments.Contains("secrets"));
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task Prepare_warns_that_the_secrets_could_not_be_checked_when_the_cluster_does_not_answer()
    {
        var backend = Backend();
        File.AppendAllText(Path.Combine(_d, "spec.yml"), "secrets:\n  test-secret: [TEST_SECRET_KEY]\n");
        backend = Create();
        _runner.On(K("get", "secrets")).Returns(1, stderr: "Unable to connect to the server: dial tcp 10.0.0.1:6443: connect: connection refused\n");

        var warning = Assert.Single(await backend.PrepareWarningsAsync(CancellationToken.None));

        Assert.Contains("could not list the Secrets of namespace shop-ns to check the spec's secrets (test-secret)", warning);
        Assert.Contains("connection refused", warning);
    }

    [Fact]
    public async Task Start_sends_the_namespace_first_then_the_pull_secret_then_manifests_and_jobs_on_stdin()
    {
        var backend = Backend();
        FreshCluster();

        await backend.ApplyAsync(Options(), CancellationToken.None);

        var objects = KubernetesManifests.Parse(ApplyCall().StandardInput!, "stdin");
        Assert.Equal(
        [
            "Namespace/shop-ns", $"Secret/{Id}-registry", $"ConfigMap/{Id}-config", $"PersistentVolumeClaim/{Id}-web-data",
            $"Service/{Id}-nodeport-web-8080-tcp", $"Deployment/{Id}-web", $"Deployment/{Id}-worker", $"Job/{Id}-job-migrate",
        ], objects.Select(o => $"{o.Kind}/{o.Name}"));
        var secret = objects[1];
        Assert.Equal("kubernetes.io/dockerconfigjson", secret.Node.Scalar("type"));
        Assert.Equal(Ns, secret.Namespace);
        Assert.Equal(Id, secret.Label("slipway.io/deployment-id"));
    }

    [Fact]
    public async Task The_registry_token_is_only_on_stdin_and_every_form_of_it_is_marked_secret()
    {
        var backend = Backend();
        FreshCluster();

        await backend.ApplyAsync(Options(), CancellationToken.None);

        var apply = ApplyCall();
        var config = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(
            KubernetesManifests.Parse(apply.StandardInput!, "stdin")[1].Node.Child("data")!.Scalar(".dockerconfigjson")!));
        Assert.Contains("\"registry.example.com\"", config);
        Assert.Contains("\"username\":\"deployer\"", config);
        Assert.Contains(Token, config);
        Assert.Contains(Token, apply.Secrets);
        Assert.Contains(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"deployer:{Token}")), apply.Secrets);
        Assert.All(_runner.Calls, c => Assert.DoesNotContain(Token, c.Display()));
        Assert.All(_runner.Calls.Where(c => c != apply), c => Assert.DoesNotContain(Token, c.StandardInput ?? ""));
        Assert.DoesNotContain(Token, string.Join('\n', Directory.EnumerateFiles(_d, "*", SearchOption.AllDirectories).Select(File.ReadAllText)));
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task A_missing_token_warns_applies_without_the_secret_and_does_not_prune_the_old_one()
    {
        var backend = Backend();
        _environment.Clear();
        FreshCluster(Live(Declared));

        await backend.ApplyAsync(Options(), CancellationToken.None);

        var warning = Assert.Single(_warnings);
        Assert.Contains(KubernetesSample.TokenVariable, warning);
        Assert.Contains($"{Id}-registry", warning);
        Assert.DoesNotContain("kind: Secret", ApplyCall().StandardInput);
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("delete"));
    }

    [Fact]
    public async Task Without_registry_credentials_no_pull_secret_is_made_and_nothing_is_said()
    {
        var backend = Backend(registry: false);
        FreshCluster();

        await backend.ApplyAsync(Options(), CancellationToken.None);

        Assert.DoesNotContain("kind: Secret", ApplyCall().StandardInput);
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task Image_pins_replace_the_stack_images_in_what_is_applied_but_not_in_D()
    {
        var backend = Backend();
        FreshCluster();

        await backend.ApplyAsync(Options(new() { ["shop/web:local"] = "registry.example.com/shop/web:3f2a9c1b7d4e" }), CancellationToken.None);

        var stdin = ApplyCall().StandardInput!;
        Assert.DoesNotContain("shop/web:local", stdin);
        Assert.Equal(3, stdin.Split("image: registry.example.com/shop/web:3f2a9c1b7d4e").Length - 1);
        Assert.Contains("image: shop/sidecar:local", stdin);
        Assert.Contains("image: shop/web:local", File.ReadAllText(Path.Combine(_d, "k8s", "manifests.yml")));
    }

    [Fact]
    public async Task A_job_that_already_ran_is_neither_reapplied_nor_pruned()
    {
        var backend = Backend();
        FreshCluster(Live(Declared), existingJobs: $"job.batch/{Id}-job-migrate\n");

        await backend.ApplyAsync(Options(), CancellationToken.None);

        Assert.DoesNotContain("kind: Job", ApplyCall().StandardInput);
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("delete"));
    }

    [Fact]
    public async Task A_namespace_owned_by_another_deployment_directory_is_refused_naming_the_namespace_override()
    {
        var backend = Backend();
        _runner.On(K("get", "namespace", Ns)).Returns(0, NamespaceJson("/srv/other-deployment"));

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(Options(), CancellationToken.None));

        Assert.Equal(FailureReason.Conflict, error.Reason);
        Assert.Contains("/srv/other-deployment", error.Message);
        Assert.Contains($"namespace: {Ns}-2", error.Hint);
        Assert.Single(_runner.Calls);
    }

    [Fact]
    public async Task A_namespace_left_by_laconic_so_for_another_directory_is_refused_too()
    {
        var backend = Backend();
        _runner.On(K("get", "namespace", Ns)).Returns(0, "{\"metadata\":{\"annotations\":{\"laconic.com/deployment-dir\":\"/srv/laconic\"}}}");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(Options(), CancellationToken.None));

        Assert.Equal(FailureReason.Conflict, error.Reason);
        Assert.Contains("/srv/laconic", error.Message);
    }

    [Fact]
    public async Task An_unowned_existing_namespace_is_adopted_by_the_apply_that_annotates_it()
    {
        var backend = Backend();
        _runner.On(K("get", "namespace", Ns)).Returns(0, NamespaceJson(null));
        FreshCluster();

        await backend.ApplyAsync(Options(), CancellationToken.None);

        Assert.Contains(_progress, p => p.Contains("adopting the existing namespace shop-ns", StringComparison.Ordinal));
        var ns = KubernetesManifests.Parse(ApplyCall().StandardInput!, "stdin")[0];
        Assert.Equal(_d, ns.Annotation("slipway.io/owner"));
    }

    [Fact]
    public async Task Our_own_namespace_is_applied_into_without_comment()
    {
        var backend = Backend();
        _runner.On(K("get", "namespace", Ns)).Returns(0, NamespaceJson(_d + "/"));
        FreshCluster();

        await backend.ApplyAsync(Options(), CancellationToken.None);

        Assert.DoesNotContain(_progress, p => p.Contains("adopting", StringComparison.Ordinal));
        ApplyCall();
    }

    [Fact]
    public async Task An_unreachable_cluster_fails_with_kubectls_words_and_how_to_check_the_kubeconfig()
    {
        var backend = Backend();
        _runner.On(K("get", "namespace")).Returns(1, stderr: "The connection to the server 10.0.0.1:6443 was refused\n");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(Options(), CancellationToken.None));

        Assert.Equal(FailureReason.PrerequisiteMissing, error.Reason);
        Assert.Contains("connection to the server", error.Message);
        Assert.Contains($"{_d}/kubeconfig.yml", error.Hint);
    }

    [Fact]
    public async Task An_apply_conflict_is_a_conflict_naming_the_other_manager_and_the_fields()
    {
        var backend = Backend();
        _runner.On(K("get", "namespace")).Returns(1, stderr: NotFound);
        _runner.On(K("get", "jobs.batch")).Returns(0);
        _runner.On(K("apply")).Returns(1, stderr: """
            error: Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas
            Please review the fields above--they currently have other managers. Here
            are the ways you can resolve this warning:
            * If you intend to manage all of these fields, please re-run the apply
              command with the `--force-conflicts` flag.
            """);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(Options(), CancellationToken.None));

        Assert.Equal(FailureReason.Conflict, error.Reason);
        Assert.Contains("conflict with \"kubectl-edit\" using apps/v1: .spec.replicas", error.Message);
        Assert.DoesNotContain("Please review", error.Message);
        Assert.Contains("start --force-conflicts", error.Hint);
        Assert.DoesNotContain("--force-conflicts", ApplyCall().Arguments);
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("rollout"));
    }

    [Fact]
    public async Task Start_with_force_conflicts_takes_the_fields_over_in_its_apply()
    {
        var backend = Backend();
        FreshCluster();

        await backend.ApplyAsync(Options() with { ForceConflicts = true }, CancellationToken.None);

        Assert.Equal(K("apply", "--server-side", "--field-manager=slipway", "--force-conflicts", "-f", "-"), Argv(ApplyCall()));
    }

    [Fact]
    public async Task Any_other_apply_failure_is_a_failed_deployment_and_nothing_is_pruned()
    {
        var backend = Backend();
        _runner.On(K("get", "namespace")).Returns(1, stderr: NotFound);
        _runner.On(K("get", "jobs.batch")).Returns(0);
        _runner.On(K("apply")).Returns(1, stderr: "error: Deployment.apps \"x\" is invalid: spec.template.spec.containers[0].image: Required value\n");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(Options(), CancellationToken.None));

        Assert.Equal(FailureReason.DeploymentFailed, error.Reason);
        Assert.Contains("Required value", error.Message);
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains(OwnedKinds));
    }

    [Fact]
    public async Task A_rollout_that_times_out_is_a_verify_timeout_naming_what_it_waited_for()
    {
        var backend = Backend();
        var clock = new ManualClock();
        backend = new KubernetesBackend(DeploymentSession.Open(_d), ToolPaths.Default.With(_runner), new KubernetesBackendOptions
        {
            GetEnvironment = name => _environment.GetValueOrDefault(name),
            Clock = clock,
            Delay = (d, _) => { clock.Advance(d); return Task.CompletedTask; },
        });
        _runner.On(K("get", "namespace")).Returns(1, stderr: NotFound);
        _runner.On(K("get", "jobs.batch")).Returns(0);
        _runner.On(K("apply")).Returns(0);
        _runner.On(K("get", OwnedKinds)).Returns(0);
        _runner.On(K("get", "deployments.apps")).Returns(0, KubernetesSample.RolledOut.Replace("\"availableReplicas\":1}}]", "\"availableReplicas\":0}}]", StringComparison.Ordinal));
        _runner.On(K("get", "pods")).Returns(0, KubernetesSample.ReadyPods.Replace("\"name\":\"worker\",\"ready\":true", "\"name\":\"worker\",\"ready\":false", StringComparison.Ordinal));
        _runner.On(K("get", "persistentvolumeclaims")).Returns(0, KubernetesSample.BoundClaims);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(Options() with { WaitTimeout = TimeSpan.FromSeconds(45) }, CancellationToken.None));

        Assert.Equal(FailureReason.VerifyTimeout, error.Reason);
        Assert.Contains("within 45s", error.Message);
        Assert.Contains("worker (not ready)", error.Message);
        Assert.Contains($"deployment/{Id}-worker: 0 of 1 updated replicas are available", error.Message);
        Assert.True(clock.GetUtcNow() - ManualClock.Start >= TimeSpan.FromSeconds(45));
    }

    [Fact]
    public async Task A_pod_in_CreateContainerConfigError_fails_the_waiting_apply_at_once_with_the_kubelets_words()
    {
        var backend = Backend();
        _runner.On(K("get", "pods")).Returns(0, """
            {"items":[{"metadata":{"name":"web-1","uid":"1"},"spec":{"containers":[{"name":"web"}]},
              "status":{"phase":"Pending","containerStatuses":[{"name":"web","ready":false,
                "state":{"waiting":{"reason":"CreateContainerConfigError","message":"secret \"test-secret\" not found"}}}]}}]}
            """);
        _runner.On(K("get", "deployments.apps")).Returns(0, KubernetesSample.RolledOut.Replace("\"availableReplicas\":1}}]", "\"availableReplicas\":0}}]", StringComparison.Ordinal));

        FreshCluster();

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(Options(), CancellationToken.None));

        Assert.Equal(FailureReason.DeploymentFailed, error.Reason);
        Assert.Contains("web (web-1): waiting: CreateContainerConfigError: secret \"test-secret\" not found", error.Message);
        Assert.Single(_runner.Calls, c => c.Arguments.Contains("pods"));
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("rollout"));
    }

    [Fact]
    public async Task A_claim_the_cluster_cannot_provision_fails_health_at_once_with_the_claims_event()
    {
        var backend = Backend();
        _runner.On(K("get", "deployments.apps")).Returns(0, KubernetesSample.RolledOut);
        _runner.On(K("get", "pods")).Returns(0, "{\"items\":[]}");
        _runner.On(K("get", "persistentvolumeclaims")).Returns(0, "{\"items\":[{\"metadata\":{\"name\":\"" + Id + "-web-data\"},\"status\":{\"phase\":\"Pending\"}}]}");
        // The real server's event for a claim without a StorageClass on a cluster without a default one.
        _runner.On(K("get", "events", "-n", Ns, "--field-selector", "involvedObject.kind=PersistentVolumeClaim")).Returns(0, $$"""
            {"items":[{"involvedObject":{"kind":"PersistentVolumeClaim","name":"{{Id}}-web-data"},"reason":"FailedBinding","type":"Normal",
              "message":"no persistent volumes available for this claim and no storage class is set","lastTimestamp":"2026-11-30T10:00:00Z"}]}
            """);

        var health = await backend.HealthAsync(CancellationToken.None);

        var failed = Assert.Single(health.FailedRollouts);
        Assert.StartsWith($"persistentvolumeclaim/{Id}-web-data is pending: no persistent volumes available for this claim and no storage class is set", failed);
        Assert.Contains("no default StorageClass", failed);
    }

    [Fact]
    public async Task A_claim_waiting_for_its_volume_is_pending_not_failed()
    {
        var backend = Backend();
        _runner.On(K("get", "deployments.apps")).Returns(0, KubernetesSample.RolledOut);
        _runner.On(K("get", "pods")).Returns(0, "{\"items\":[]}");
        _runner.On(K("get", "persistentvolumeclaims")).Returns(0, "{\"items\":[{\"metadata\":{\"name\":\"" + Id + "-web-data\"},\"status\":{\"phase\":\"Pending\"}}]}");
        _runner.On(K("get", "events")).Returns(0, $$"""
            {"items":[{"involvedObject":{"kind":"PersistentVolumeClaim","name":"{{Id}}-web-data"},"reason":"WaitForFirstConsumer",
              "message":"waiting for first consumer to be created before binding","lastTimestamp":"2026-11-30T10:00:00Z"}]}
            """);

        var health = await backend.HealthAsync(CancellationToken.None);

        Assert.Empty(health.FailedRollouts);
        Assert.Equal([$"persistentvolumeclaim/{Id}-web-data is pending: waiting for first consumer to be created before binding"], health.PendingRollouts);
    }

    [Fact]
    public async Task An_apply_that_is_not_to_wait_applies_and_prunes_but_never_waits_for_a_rollout()
    {
        var backend = Backend();
        FreshCluster();

        await backend.ApplyAsync(Options() with { Wait = false }, CancellationToken.None);

        Assert.Single(_runner.Calls, c => c.Arguments.Contains("apply"));
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("rollout"));
    }

    [Fact]
    public async Task Health_reports_the_deployments_still_rolling_out_and_the_ones_past_their_deadline()
    {
        var backend = Backend();
        _runner.On(K("get", "deployments.apps", "-n", Ns, "-l", Selector, "-o", "json")).Returns(0, $$$"""
            {"items":[
              {"metadata":{"name":"{{{Id}}}-web","generation":3},"spec":{"replicas":2},"status":{"observedGeneration":2,"replicas":2,"updatedReplicas":2,"availableReplicas":2}},
              {"metadata":{"name":"{{{Id}}}-api","generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"replicas":3,"updatedReplicas":2,"availableReplicas":2}},
              {"metadata":{"name":"{{{Id}}}-db","generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"replicas":1,"updatedReplicas":1}},
              {"metadata":{"name":"{{{Id}}}-ok","generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"replicas":1,"updatedReplicas":1,"availableReplicas":1}},
              {"metadata":{"name":"{{{Id}}}-stuck","generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"replicas":1,"updatedReplicas":0,
                "conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]}}]}
            """);
        _runner.On(K("get", "pods")).Returns(0, "{\"items\":[]}");
        _runner.On(K("get", "persistentvolumeclaims")).Returns(0, KubernetesSample.BoundClaims);

        var health = await backend.HealthAsync(CancellationToken.None);

        Assert.Equal(
            [
                $"deployment/{Id}-web: waiting for the controller to see the new spec",
                $"deployment/{Id}-api: 1 old replicas are pending termination",
                $"deployment/{Id}-db: 0 of 1 updated replicas are available",
            ],
            health.PendingRollouts);
        Assert.Equal([$"deployment/{Id}-stuck exceeded its progress deadline"], health.FailedRollouts);
    }

    [Fact]
    public async Task Restart_restarts_the_deployments_after_the_apply_so_unchanged_pods_roll_too()
    {
        var backend = Backend();
        FreshCluster();
        _runner.On(K("rollout", "restart")).Returns(0);

        await backend.ApplyAsync(Options() with { ForceRecreate = true }, CancellationToken.None);

        var restart = _runner.Single(c => c.Arguments.Contains("restart"));
        Assert.Equal(K("rollout", "restart", "-n", Ns, $"deployment/{Id}-web", $"deployment/{Id}-worker"), Argv(restart));
    }

    [Fact]
    public async Task Start_with_service_names_is_refused_because_k8s_applies_the_whole_deployment()
    {
        var backend = Backend();

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(Options() with { Services = ["web"] }, CancellationToken.None));

        Assert.Equal(FailureReason.InvalidInput, error.Reason);
        Assert.Empty(_runner.Calls);
    }

    [Fact]
    public async Task A_missing_kubectl_is_a_missing_prerequisite_naming_it()
    {
        var backend = Backend();
        _runner.On("kubectl").Throws(new ToolNotFoundException("kubectl"));

        var error = await Assert.ThrowsAsync<ToolNotFoundException>(() => backend.ApplyAsync(Options(), CancellationToken.None));

        Assert.Equal(FailureReason.PrerequisiteMissing, error.Reason);
        Assert.Contains("'kubectl'", error.Message);
    }

    [Fact]
    public async Task Missing_manifests_say_to_rerender_the_deployment_directory()
    {
        var backend = Backend();
        File.Delete(Path.Combine(_d, "k8s", "manifests.yml"));

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(Options(), CancellationToken.None));

        Assert.Equal(FailureReason.NotFound, error.Reason);
        Assert.Contains("deploy create --update", error.Hint);
        Assert.Empty(_runner.Calls);
    }

    [Fact]
    public async Task A_missing_kubeconfig_is_refused_before_any_kubectl_call()
    {
        var backend = Backend();
        File.Delete(Path.Combine(_d, "kubeconfig.yml"));

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ApplyAsync(Options(), CancellationToken.None));

        Assert.Equal(FailureReason.PrerequisiteMissing, error.Reason);
        Assert.Contains("kube-config", error.Hint);
        Assert.Empty(_runner.Calls);
    }

    // ---- stop ----

    private string[] DeleteObjects => K("delete", OwnedKinds, "-n", Ns, "-l", Selector, "--cascade=foreground", "--wait=true", "--ignore-not-found", "--timeout=120s");

    [Fact]
    public async Task Stop_deletes_the_deployments_objects_by_label_and_waits_keeping_namespace_and_volumes()
    {
        var backend = Backend();
        _runner.On(K("delete")).Returns(0);

        var outcome = await backend.StopAsync(new StopOptions(), CancellationToken.None);

        Assert.Equal([DeleteObjects], _runner.Calls.Select(Argv));
        Assert.Empty(outcome.RemovedVolumes);
    }

    [Fact]
    public async Task Stop_with_delete_volumes_lists_then_deletes_only_this_deployments_claims_and_volumes()
    {
        var backend = Backend();
        _runner.On(K("delete")).Returns(0);
        _runner.On(K("get", "persistentvolumeclaims")).Returns(0, $"persistentvolumeclaim/{Id}-web-data\n");
        _runner.On(K("get", "persistentvolumes")).Returns(0,
            "{\"items\":[{\"metadata\":{\"name\":\"" + Id + "-web-data\"},\"spec\":{\"hostPath\":{\"path\":\"/srv/shop/web-data\"}}}]}");

        var outcome = await backend.StopAsync(new StopOptions { DeleteVolumes = true }, CancellationToken.None);

        Assert.Equal(
        [
            DeleteObjects,
            K("get", "persistentvolumeclaims", "-n", Ns, "-l", Selector, "-o", "name"),
            K("get", "persistentvolumes", "-l", Selector, "-o", "json"),
            K("delete", "-n", Ns, "--wait=true", "--ignore-not-found", $"persistentvolumeclaim/{Id}-web-data"),
            K("delete", "--wait=true", "--ignore-not-found", $"persistentvolume/{Id}-web-data"),
        ], _runner.Calls.Select(Argv));
        Assert.Equal([$"persistentvolumeclaim/{Id}-web-data", $"persistentvolume/{Id}-web-data"], outcome.RemovedVolumes);
        Assert.Equal(["/srv/shop/web-data"], outcome.KeptHostPaths);
    }

    [Fact]
    public async Task Stop_with_delete_volumes_deletes_nothing_it_could_not_list()
    {
        var backend = Backend();
        _runner.On(K("delete", OwnedKinds)).Returns(0);
        _runner.On(K("get", "persistentvolumeclaims")).Returns(0, $"persistentvolumeclaim/{Id}-web-data\n");
        _runner.On(K("get", "persistentvolumes")).Returns(1, stderr: "Error from server (Forbidden): persistentvolumes is forbidden\n");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.StopAsync(new StopOptions { DeleteVolumes = true }, CancellationToken.None));

        Assert.Contains("Forbidden", error.Message);
        Assert.Single(_runner.Calls, c => c.Arguments.Contains("delete"));
    }

    [Fact]
    public async Task Stop_with_delete_namespace_deletes_our_own_namespace()
    {
        var backend = Backend();
        _runner.On(K("get", "persistentvolumeclaims")).Returns(0, "");
        _runner.On(K("delete")).Returns(0);
        _runner.On(K("get", "namespace", Ns)).Returns(0, NamespaceJson(_d));

        await backend.StopAsync(new StopOptions { DeleteNamespace = true }, CancellationToken.None);

        Assert.Equal(K("delete", "namespace", Ns, "--wait=true", "--ignore-not-found", "--timeout=120s"), Argv(_runner.Calls[^1]));
    }

    [Fact]
    public async Task Stop_with_delete_namespace_never_deletes_a_namespace_another_deployment_owns()
    {
        var backend = Backend();
        _runner.On(K("get", "persistentvolumeclaims")).Returns(0, "");
        _runner.On(K("delete", OwnedKinds)).Returns(0);
        _runner.On(K("get", "namespace", Ns)).Returns(0, NamespaceJson("/srv/other"));

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.StopAsync(new StopOptions { DeleteNamespace = true }, CancellationToken.None));

        Assert.Equal(FailureReason.Conflict, error.Reason);
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("namespace") && c.Arguments.Contains("delete"));
    }

    [Fact]
    public async Task Stop_with_delete_namespace_but_not_volumes_refuses_while_the_namespace_holds_claims()
    {
        var backend = Backend();
        _runner.On(K("get", "namespace", Ns)).Returns(0, NamespaceJson(_d));
        _runner.On(K("get", "persistentvolumeclaims", "-n", Ns, "-o", "name")).Returns(0, $"persistentvolumeclaim/{Id}-web-data\n");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.StopAsync(new StopOptions { DeleteNamespace = true }, CancellationToken.None));

        Assert.Equal(FailureReason.Conflict, error.Reason);
        Assert.Contains($"persistentvolumeclaim/{Id}-web-data", error.Message);
        Assert.Contains("--delete-volumes", error.Hint);
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("delete"));
    }

    private string OldNamespaceJson(string ns, string? owner) =>
        "{\"metadata\":{\"name\":\"" + ns + "\"" + (owner is null ? "" : ",\"annotations\":{\"slipway.io/owner\":\"" + owner + "\"}") + "}}";

    private string[] DeleteObjectsIn(string ns) => K("delete", OwnedKinds, "-n", ns, "-l", Selector, "--cascade=foreground", "--wait=true", "--ignore-not-found", "--timeout=120s");

    [Fact]
    public async Task Stop_deletes_the_deployments_objects_in_every_namespace_it_has_applied_into_not_only_the_current_one()
    {
        var backend = Backend();
        File.WriteAllText(Path.Combine(_d, ".slipway", OwnedRecord.FileName), $"namespace old-ns\nnamespace {Ns}\n");
        _runner.On(K("delete", OwnedKinds, "-n", Ns)).Returns(0, $"deployment.apps \"{Id}-web\" deleted\n");
        _runner.On(K("delete", OwnedKinds, "-n", "old-ns")).Returns(0, $"deployment.apps \"{Id}-web\" deleted\nservice \"web\" deleted\n");

        await backend.StopAsync(new StopOptions { Progress = _progress.Add }, CancellationToken.None);

        Assert.Equal([DeleteObjectsIn(Ns), DeleteObjectsIn("old-ns")], _runner.Calls.Select(Argv));
        Assert.Contains(_progress, p => p.Contains("namespace old-ns, which it used before"));
        Assert.Contains("namespace old-ns\n", File.ReadAllText(Path.Combine(_d, ".slipway", OwnedRecord.FileName)));
    }

    [Fact]
    public async Task Stop_with_delete_volumes_deletes_this_deployments_claims_in_the_namespaces_it_used_before_too()
    {
        var backend = Backend();
        File.WriteAllText(Path.Combine(_d, ".slipway", OwnedRecord.FileName), "namespace old-ns\n");
        _runner.On(K("delete")).Returns(0);
        _runner.On(K("get", "persistentvolumeclaims", "-n", Ns)).Returns(0, "");
        _runner.On(K("get", "persistentvolumeclaims", "-n", "old-ns")).Returns(0, $"persistentvolumeclaim/{Id}-web-data\n");
        _runner.On(K("get", "persistentvolumes")).Returns(0, "{\"apiVersion\":\"v1\",\"items\":[],\"kind\":\"List\"}");

        var outcome = await backend.StopAsync(new StopOptions { DeleteVolumes = true }, CancellationToken.None);

        Assert.Contains(K("delete", "-n", "old-ns", "--wait=true", "--ignore-not-found", $"persistentvolumeclaim/{Id}-web-data"), _runner.Calls.Select(Argv));
        Assert.Equal([$"persistentvolumeclaim/{Id}-web-data"], outcome.RemovedVolumes);
    }

    [Fact]
    public async Task Stop_with_delete_namespace_deletes_the_old_namespaces_it_owns_forgets_them_and_leaves_one_another_deployment_took()
    {
        var backend = Backend();
        File.WriteAllText(Path.Combine(_d, ".slipway", OwnedRecord.FileName), "namespace old-ns\nnamespace taken-ns\nnamespace gone-ns\n");
        _runner.On(K("get", "namespace", Ns)).Returns(0, NamespaceJson(_d));
        _runner.On(K("get", "namespace", "old-ns")).Returns(0, OldNamespaceJson("old-ns", _d));
        _runner.On(K("get", "namespace", "taken-ns")).Returns(0, OldNamespaceJson("taken-ns", "/srv/other"));
        _runner.On(K("get", "namespace", "gone-ns")).Returns(1, stderr: "Error from server (NotFound): namespaces \"gone-ns\" not found\n");
        _runner.On(K("get", "persistentvolumeclaims")).Returns(0, "");
        _runner.On(K("delete")).Returns(0);

        await backend.StopAsync(new StopOptions { DeleteNamespace = true }, CancellationToken.None);

        var calls = _runner.Calls.Select(Argv).ToList();
        Assert.Contains(K("delete", "namespace", Ns, "--wait=true", "--ignore-not-found", "--timeout=120s"), calls);
        Assert.Contains(K("delete", "namespace", "old-ns", "--wait=true", "--ignore-not-found", "--timeout=120s"), calls);
        Assert.DoesNotContain(calls, c => c.Contains("delete") && c.Contains("namespace") && c.Contains("taken-ns"));
        Assert.Contains(DeleteObjectsIn("taken-ns"), calls);
        Assert.Contains(_warnings, w => w.Contains("taken-ns") && w.Contains("another deployment"));
        var record = File.ReadAllText(Path.Combine(_d, ".slipway", OwnedRecord.FileName));
        Assert.DoesNotContain("old-ns", record);
        Assert.DoesNotContain("gone-ns", record);
        Assert.Contains("taken-ns", record);
    }

    [Fact]
    public async Task Start_makes_our_released_host_path_volumes_claimable_again()
    {
        var backend = Backend();
        File.AppendAllText(Path.Combine(_d, "k8s", "manifests.yml"),
            $"\n---\napiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: {Id}-web-data\n  labels:\n    slipway.io/deployment-id: {Id}\nspec:\n  hostPath:\n    path: /srv/web\n");
        FreshCluster();
        _runner.On(K("get", "persistentvolumes", "-l", Selector, "-o", "json")).Returns(0,
            "{\"items\":[{\"metadata\":{\"name\":\"" + Id + "-web-data\"},\"status\":{\"phase\":\"Released\"}},{\"metadata\":{\"name\":\"bound\"},\"status\":{\"phase\":\"Bound\"}}]}");
        _runner.On(K("patch")).Returns(0);

        await backend.ApplyAsync(Options(), CancellationToken.None);

        var patch = _runner.Single(c => c.Arguments.Contains("patch"));
        Assert.Equal(K("patch", "persistentvolume", $"{Id}-web-data", "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/spec/claimRef\"}]"), Argv(patch));
        Assert.True(_runner.Calls.ToList().IndexOf(patch) < _runner.Calls.ToList().FindIndex(c => c.Arguments.Contains("apply")));
        Assert.Contains("kind: PersistentVolume", ApplyCall().StandardInput);
    }

    [Fact]
    public async Task A_failed_delete_is_reported_with_kubectls_words()
    {
        var backend = Backend();
        _runner.On(K("delete")).TimesOut();

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.StopAsync(new StopOptions(), CancellationToken.None));

        Assert.Contains("timed out", error.Message);
    }

    // ---- status, logs, exec, port ----

    [Fact]
    public async Task Status_lists_every_container_of_every_pod_and_leaves_job_pods_out()
    {
        var backend = Backend();
        _runner.On(K("get", "pods", "-n", Ns, "-l", Selector, "-o", "json")).Returns(0, """
            {"items":[
              {"metadata":{"name":"web-7d9f-abcde","uid":"0a1b2c3d-4e5f-6789-abcd-ef0123456789","labels":{"slipway.io/pod":"web"}},
               "spec":{"containers":[{"name":"web","ports":[{"containerPort":80,"protocol":"TCP"}]},{"name":"sidecar"}]},
               "status":{"phase":"Running","containerStatuses":[
                 {"name":"web","ready":true,"state":{"running":{"startedAt":"x"}}},
                 {"name":"sidecar","ready":false,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}},
              {"metadata":{"name":"worker-5c4b-fghij","uid":"11111111-2222","labels":{"slipway.io/pod":"worker"}},
               "spec":{"containers":[{"name":"worker"}]},
               "status":{"phase":"Pending"}},
              {"metadata":{"name":"migrate-xyz","uid":"3","labels":{"job-name":"migrate"}},
               "spec":{"containers":[{"name":"migrate"}]},"status":{"phase":"Succeeded"}}
            ]}
            """);

        var states = await backend.StatusAsync(CancellationToken.None);

        Assert.Equal(
        [
            new ServiceState("sidecar", "web-7d9f-abcde", "0a1b2c3d4e5f", "waiting: CrashLoopBackOff", null, []) { Condition = ServiceCondition.Failed },
            new ServiceState("web", "web-7d9f-abcde", "0a1b2c3d4e5f", "running", "ready", []) { Condition = ServiceCondition.Ready },
            new ServiceState("worker", "worker-5c4b-fghij", "111111112222", "pending", null, []) { Condition = ServiceCondition.Starting },
        ], states.Select(s => s with { Ports = [] }));
        Assert.Equal("80/tcp", Assert.Single(states[1].Ports).ToString());
    }

    [Fact]
    public async Task Logs_of_all_services_read_every_pod_of_the_deployment_with_all_lines()
    {
        var backend = Backend();
        _runner.On(K("logs")).Returns(0);

        await backend.LogsAsync(new LogsOptions(false, null, []), CancellationToken.None);

        var call = Assert.Single(_runner.Calls);
        Assert.Equal(K("logs", "-n", Ns, "-l", Selector, "--all-containers", "--prefix", "--tail=-1", "--max-log-requests=50"), Argv(call));
        Assert.True(call.Inherit);
    }

    [Fact]
    public async Task Logs_of_one_service_select_its_pod_and_container()
    {
        var backend = Backend();
        _runner.On(K("logs")).Returns(0);

        await backend.LogsAsync(new LogsOptions(true, 20, ["sidecar"]), CancellationToken.None);

        Assert.Equal(K("logs", "-n", Ns, "-l", $"{Selector},slipway.io/pod=web", "-c", "sidecar", "--prefix", "--tail=20", "--max-log-requests=50", "--follow", "--ignore-errors"),
            Argv(Assert.Single(_runner.Calls)));
    }

    [Fact]
    public async Task Exec_runs_in_the_deployment_of_the_services_pod_and_returns_the_exit_code()
    {
        var backend = Backend();
        _runner.On(K("exec")).Returns(3);

        var exit = await backend.ExecAsync("worker", ["sh", "-c", "exit 3"], interactive: false, CancellationToken.None);

        Assert.Equal(3, exit);
        Assert.Equal(K("exec", "-n", Ns, "-i", $"deployment/{Id}-worker", "-c", "worker", "--", "sh", "-c", "exit 3"), Argv(Assert.Single(_runner.Calls)));
    }

    [Fact]
    public async Task Exec_into_an_unknown_service_lists_the_services()
    {
        var backend = Backend();

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.ExecAsync("db", ["true"], false, CancellationToken.None));

        Assert.Equal(FailureReason.NotFound, error.Reason);
        Assert.Contains("web, sidecar, worker", error.Hint);
    }

    [Fact]
    public async Task Port_answers_with_a_node_address_and_the_live_node_port()
    {
        var backend = Backend();
        _runner.On(K("get", "service")).Returns(0, "31234");
        _runner.On(K("get", "nodes")).Returns(0, "172.18.0.2");

        var address = await backend.PortAsync("web", "80", CancellationToken.None);

        Assert.Equal("172.18.0.2:31234", address);
        Assert.Equal(K("get", "service", $"{Id}-nodeport-web-8080-tcp", "-n", Ns, "-o", "jsonpath={.spec.ports[?(@.port==8080)].nodePort}"), Argv(_runner.Calls[0]));
    }

    [Fact]
    public async Task Port_without_a_node_port_states_the_port_forward_to_use()
    {
        var backend = Backend();

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.PortAsync("worker", "9000", CancellationToken.None));

        Assert.Equal(FailureReason.NotFound, error.Reason);
        Assert.Contains("port-forward", error.Message);
        Assert.Contains($"port-forward -n {Ns} deployment/{Id}-worker 9000:9000", error.Hint);
        Assert.Empty(_runner.Calls);
    }

    // ---- run-job ----

    [Fact]
    public async Task Run_job_replaces_the_previous_run_waits_for_completion_and_shows_its_logs()
    {
        var backend = Backend();
        _runner.On(K("get", "namespace")).Returns(0, NamespaceJson(_d));
        _runner.On(K("delete")).Returns(0);
        _runner.On(K("apply")).Returns(0);
        _runner.On(K("get", $"job.batch/{Id}-job-migrate")).Once().Returns(0, "{\"status\":{\"active\":1}}");
        _runner.On(K("get", $"job.batch/{Id}-job-migrate")).Returns(0, "{\"status\":{\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]}}");
        _runner.On(K("logs")).Returns(0);

        var exit = await backend.RunJobAsync("migrate", CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Equal(
        [
            K("get", "namespace", Ns, "-o", "json"),
            K("delete", $"job.batch/{Id}-job-migrate", "-n", Ns, "--ignore-not-found", "--cascade=foreground", "--wait=true"),
            K("apply", "--server-side", "--field-manager=slipway", "-f", "-"),
            K("get", $"job.batch/{Id}-job-migrate", "-n", Ns, "-o", "json"),
            K("get", $"job.batch/{Id}-job-migrate", "-n", Ns, "-o", "json"),
            K("logs", "-n", Ns, $"job.batch/{Id}-job-migrate", "--all-containers", "--prefix"),
        ], _runner.Calls.Select(Argv));
        var applied = KubernetesManifests.Parse(ApplyCall().StandardInput!, "stdin");
        Assert.Equal(["Namespace", "Secret", "Job"], applied.Select(o => o.Kind));
    }

    [Fact]
    public async Task A_failed_job_returns_its_containers_exit_code()
    {
        var backend = Backend();
        _runner.On(K("get", "namespace")).Returns(0, NamespaceJson(_d));
        _runner.On(K("delete")).Returns(0);
        _runner.On(K("apply")).Returns(0);
        _runner.On(K("get", $"job.batch/{Id}-job-migrate")).Returns(0, "{\"status\":{\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\"}]}}");
        _runner.On(K("get", "pods", "-n", Ns, "-l", $"job-name={Id}-job-migrate")).Returns(0,
            "{\"items\":[{\"status\":{\"containerStatuses\":[{\"name\":\"migrate\",\"state\":{\"terminated\":{\"exitCode\":42}}}]}}]}");
        _runner.On(K("logs")).Returns(0);

        Assert.Equal(42, await backend.RunJobAsync("migrate", CancellationToken.None));
    }

    [Fact]
    public async Task Run_job_of_an_unknown_job_lists_the_stacks_jobs()
    {
        var backend = Backend();

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.RunJobAsync("seed", CancellationToken.None));

        Assert.Equal(FailureReason.NotFound, error.Reason);
        Assert.Contains("migrate", error.Hint);
    }

    [Fact]
    public async Task Run_job_with_a_helm_release_applies_the_job_helm_renders_from_the_chart()
    {
        var backend = Backend();
        Directory.CreateDirectory(Path.Combine(_d, "chart"));
        const string FromHelm = $"---\n# Source: shop/templates/migrate-job.yaml\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {Id}-job-migrate\n  namespace: {Ns}\n  labels:\n    rendered-by: helm\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: migrate\n          image: shop/web:1\n";
        _runner.On("helm", "template").Returns(0, FromHelm);
        _runner.On(K("get", "namespace")).Returns(0, NamespaceJson(_d));
        _runner.On(K("delete")).Returns(0);
        _runner.On(K("apply")).Returns(0);
        _runner.On(K("get", $"job.batch/{Id}-job-migrate")).Returns(0, "{\"status\":{\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]}}");
        _runner.On(K("logs")).Returns(0);

        Assert.Equal(0, await backend.RunHelmJobAsync("migrate", "shop-prod", CancellationToken.None));

        Assert.Equal(["helm", "template", "shop-prod", Path.Combine(_d, "chart"), "--show-only", "templates/migrate-job.yaml", "--set-json", "jobs={\"migrate\":{\"enabled\":true}}"], Argv(_runner.Calls[0]));
        var job = Assert.Single(KubernetesManifests.Parse(ApplyCall().StandardInput!, "stdin"), o => o.Kind == "Job");
        Assert.Contains("rendered-by: helm", KubernetesManifests.Serialize([job]));
    }

    // ---- plan, diagnose ----

    [Fact]
    public async Task Plan_reads_kubectl_diff_into_creates_updates_unchanged_and_deletes_judging_create_by_what_exists()
    {
        var backend = Backend();
        _runner.On(K("get", "namespace")).Returns(0, NamespaceJson(_d));
        _runner.On(K("get", "jobs.batch")).Returns(0, $"job.batch/{Id}-job-migrate\n");
        _runner.On(K("diff")).Returns(1, $"""
            diff -u -N /tmp/LIVE-1/apps.v1.Deployment.{Ns}.{Id}-web /tmp/MERGED-1/apps.v1.Deployment.{Ns}.{Id}-web
            --- /tmp/LIVE-1/apps.v1.Deployment.{Ns}.{Id}-web	2025-01-01
            +++ /tmp/MERGED-1/apps.v1.Deployment.{Ns}.{Id}-web	2025-01-01
            @@ -10,7 +10,7 @@
            -        image: shop/web:old
            +        image: shop/web:local
            diff -u -N /tmp/LIVE-1/v1.Secret.{Ns}.{Id}-registry /tmp/MERGED-1/v1.Secret.{Ns}.{Id}-registry
            --- /tmp/LIVE-1/v1.Secret.{Ns}.{Id}-registry	2025-01-01
            +++ /tmp/MERGED-1/v1.Secret.{Ns}.{Id}-registry	2025-01-01
            @@ -1 +1,10 @@
            -null
            +apiVersion: v1
            +data:
            +  .dockerconfigjson: '***'
            diff -u -N /tmp/LIVE-1/v1.ConfigMap.{Ns}.{Id}-config /tmp/MERGED-1/v1.ConfigMap.{Ns}.{Id}-config
            --- /tmp/LIVE-1/v1.ConfigMap.{Ns}.{Id}-config	2025-01-01
            +++ /tmp/MERGED-1/v1.ConfigMap.{Ns}.{Id}-config	2025-01-01
            @@ -0,0 +1,2 @@
            +data:
            +  GREETING: hello
            """);
        // What exists decides create or update: kubectl shows the new, masked Secret as a one-line "null", not as an empty file.
        _runner.On(K("get", OwnedKinds + ",persistentvolumeclaims")).Returns(0, Live([.. Declared.Where(d => !d.StartsWith("secret/", StringComparison.Ordinal)), $"persistentvolumeclaim/{Id}-web-data"]));
        _runner.On(K("get", OwnedKinds)).Returns(0, Live([.. Declared, $"configmap/{Id}-old"]));

        var changes = await backend.PlanAsync(new ApplyOptions(), CancellationToken.None);

        Assert.Equal(
        [
            new PlannedChange("Namespace", Ns, "unchanged"),
            new PlannedChange("Secret", $"{Id}-registry", "create"),
            new PlannedChange("ConfigMap", $"{Id}-config", "update", "+2 -0 lines"),
            new PlannedChange("PersistentVolumeClaim", $"{Id}-web-data", "unchanged"),
            new PlannedChange("Service", $"{Id}-nodeport-web-8080-tcp", "unchanged"),
            new PlannedChange("Deployment", $"{Id}-web", "update", "+1 -1 lines"),
            new PlannedChange("Deployment", $"{Id}-worker", "unchanged"),
            new PlannedChange("Job", $"{Id}-job-migrate", "unchanged", "already ran; not recreated"),
            new PlannedChange("configmap", $"{Id}-old", "delete", "no longer declared"),
        ], changes);
        var diff = _runner.Single(c => c.Arguments.Contains("diff"));
        Assert.Equal(K("diff", "--server-side", "--field-manager=slipway", "-f", "-"), Argv(diff));
        Assert.Contains(Token, diff.Secrets);
        Assert.True(diff.Environment.ContainsKey("KUBECTL_EXTERNAL_DIFF"));
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("apply") || c.Arguments.Contains("delete"));
    }

    [Fact]
    public async Task Plan_before_the_first_start_shows_everything_as_create_without_a_diff_into_the_missing_namespace()
    {
        var backend = Backend();
        _runner.On(K("get", "namespace")).Returns(1, stderr: NotFound);
        // The real server's answer to a server-side diff into a namespace that does not exist.
        _runner.On(K("diff")).Returns(2, stderr: $"Error from server (NotFound): namespaces \"{Ns}\" not found\n");

        var changes = await backend.PlanAsync(new ApplyOptions(), CancellationToken.None);

        Assert.Equal(
            ["Namespace", "Secret", "ConfigMap", "PersistentVolumeClaim", "Service", "Deployment", "Deployment", "Job"],
            changes.Select(c => c.Kind));
        Assert.All(changes, c => Assert.Equal("create", c.Action));
        Assert.Contains($"namespace {Ns} does not exist yet", changes[1].Detail);
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("diff"));
    }

    [Fact]
    public async Task A_failing_diff_is_an_error_not_an_empty_plan()
    {
        var backend = Backend();
        _runner.On(K("get", "namespace")).Returns(0, NamespaceJson(_d));
        _runner.On(K("get", "jobs.batch")).Returns(0);
        _runner.On(K("get", OwnedKinds + ",persistentvolumeclaims")).Returns(0);
        _runner.On(K("diff")).Returns(2, stderr: "error: unable to recognize \"STDIN\"\n");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => backend.PlanAsync(new ApplyOptions(), CancellationToken.None));

        Assert.Contains("unable to recognize", error.Message);
    }

    [Fact]
    public async Task Diagnose_gathers_pods_descriptions_events_and_log_tails_even_when_some_fail()
    {
        var backend = Backend();
        _runner.On(K("get", "pods")).Returns(0, "NAME READY STATUS\nweb-1 0/1 CrashLoopBackOff\n");
        _runner.On(K("describe")).Returns(1, stderr: "boom\n");
        _runner.On(K("get", "events")).Returns(0, "Back-off restarting failed container\n");
        _runner.On(K("logs")).Returns(0, $"[pod/web-1/web] password={KubernetesSample.Password}\n");

        var text = await backend.DiagnoseAsync(50, CancellationToken.None);

        Assert.Contains("CrashLoopBackOff", text);
        Assert.Contains("(exit code 1)", text);
        Assert.Contains("Back-off restarting", text);
        Assert.Contains("--tail=50", _runner.Calls[^1].Arguments);
        Assert.DoesNotContain(KubernetesSample.Password, text);
    }

    [Fact]
    public async Task Loading_images_on_plain_k8s_runs_nothing()
    {
        var backend = Backend();

        await backend.LoadImagesAsync(["shop/web:local"], CancellationToken.None);

        Assert.Empty(_runner.Calls);
    }
}
