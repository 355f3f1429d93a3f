using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Tests.Support;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Tests.Verification;

public sealed class DeploymentChecksTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private (DeploymentSession Deployment, IReadOnlyList<Diagnostic> Problems) Check(string spec, string configEnv, string webCompose)
    {
        var d = SampleDeployment.Write(_workspace, withOverrides: false);
        _workspace.WriteFile("deployment/spec.yml", spec);
        _workspace.WriteFile("deployment/config.env", configEnv);
        _workspace.WriteFile("deployment/compose/docker-compose-web.yml", webCompose);
        var deployment = DeploymentSession.Open(d);
        return (deployment, DeploymentChecks.Prepare(deployment));
    }

    [Fact]
    public void A_ready_deployment_has_no_problems()
    {
        var (_, problems) = Check(
            "stack: ./stack\nconfig:\n  GREETING: hello\nverify:\n  - service: web\n    http: /\n",
            $"GREETING=hello\nDB_PASSWORD={SampleDeployment.Password}\n",
            "services:\n  web:\n    image: shop/web:local\n    environment:\n      GREETING: ${GREETING}\n      DB_PASSWORD: ${DB_PASSWORD:?}\n");

        Assert.Empty(problems);
    }

    /// <summary>laconic-so's test stack substitutes ${CERC_SCRIPT_DEBUG}; like the user's ids, Slipway supplies it (set with --debug, else blank).</summary>
    [Fact]
    public void The_host_variables_every_compose_call_gets_are_not_required_config()
    {
        var (_, problems) = Check(
            "stack: ./stack\nconfig:\n  GREETING: hello\n",
            $"GREETING=hello\nDB_PASSWORD={SampleDeployment.Password}\n",
            "services:\n  web:\n    image: shop/web:local\n    user: ${CERC_HOST_UID}:${CERC_HOST_GID}\n    environment:\n      GREETING: ${GREETING}\n      DB_PASSWORD: ${DB_PASSWORD:?}\n      CERC_SCRIPT_DEBUG: ${CERC_SCRIPT_DEBUG}\n");

        Assert.Empty(problems);
    }

    [Fact]
    public void Placeholders_missing_and_empty_keys_and_unknown_verify_services_are_all_reported_without_values()
    {
        var (deployment, problems) = Check(
            "stack: ./stack\nconfig:\n  GREETING: CHANGEME\nverify:\n  - service: wbe\n    http: /\n",
            "GREETING=CHANGEME\nAPI_TOKEN=<api-token-from-vault>\nDB_PASSWORD=\n",
            """
            services:
              web:
                image: shop/web:local
                environment:
                  GREETING: ${GREETING}
                  DB_PASSWORD: ${DB_PASSWORD:?the database password}
                  SMTP_PASSWORD: ${SMTP_PASSWORD}
                  OPTIONAL: ${OPTIONAL:-}
            """);

        var layout = deployment.Layout;
        var web = layout.PodComposeFile("web");
        Assert.Equal(
            [
                $"{layout.Spec}:3:3: error SW005: config 'GREETING' still holds a placeholder (CHANGEME) (replace it with the real value before deploying)",
                $"{layout.ConfigEnv}:2:1: error SW005: config 'API_TOKEN' still holds a placeholder (<...>) (replace it with the real value before deploying)",
                $"{layout.ConfigEnv}:3:1: error SW004: config 'DB_PASSWORD' is empty, but the stack requires a value (used at {web}:6:20) (set it in the spec's config, or in one of its env-files (host-local, outside git))",
                $"{web}:7:22: error SW004: config 'SMTP_PASSWORD' is required by the stack but not set (set it in the spec's config, or in one of its env-files (host-local, outside git))",
                $"{layout.Spec}:5:5: error SW010: verify check names service 'wbe', which the stack does not define (did you mean 'web'?)",
            ],
            problems.Select(p => p.ToString()));
        Assert.DoesNotContain(problems, p => p.ToString().Contains("api-token-from-vault", StringComparison.Ordinal));

        var bag = new DiagnosticBag();
        bag.AddRange(problems);
        var error = Assert.Throws<InvalidInputException>(bag.ThrowIfErrors);
        Assert.Equal(5, error.Diagnostics.Count);
    }

    [Fact]
    public void A_placeholder_is_reported_in_the_env_file_or_the_git_tracked_spec_that_set_it_not_in_D()
    {
        const string Spec = "stack: ./stack\nenv-files:\n  - secrets/x.env\nconfig:\n  GREETING: CHANGEME\n";
        var d = SampleDeployment.Write(_workspace, withOverrides: false);
        var tracked = _workspace.WriteFile("ops/spec.yml", Spec);
        var secrets = _workspace.WriteFile("ops/secrets/x.env", "API_KEY=CHANGEME\n");
        _workspace.WriteFile("deployment/deployment.yml", $"cluster-id: {SampleDeployment.Id}\ndeployment-id: {SampleDeployment.Id}\nstack-source: \"/stacks/shop\"\nspec-source: \"{tracked}\"\n");
        _workspace.WriteFile("deployment/spec.yml", Spec);
        _workspace.WriteFile("deployment/config.env", $"# Do not edit\nGREETING=CHANGEME\nDB_PASSWORD={SampleDeployment.Password}\nAPI_KEY=CHANGEME\n");
        _workspace.WriteFile("deployment/compose/docker-compose-web.yml", "services:\n  web:\n    image: shop/web:local\n");

        var problems = DeploymentChecks.Prepare(DeploymentSession.Open(d)).Select(p => p.ToString()).ToList();

        Assert.Contains($"{tracked}:5:3: error SW005: config 'GREETING' still holds a placeholder (CHANGEME) (replace it with the real value before deploying)", problems);
        Assert.Contains($"{secrets}:1:1: error SW005: config 'API_KEY' still holds a placeholder (CHANGEME) (replace it with the real value before deploying)", problems);
        Assert.DoesNotContain(problems, p => p.Contains("config.env", StringComparison.Ordinal));

        // D's copy no longer the same text (an unsynced edit of the tracked spec): the line is D's own.
        _workspace.WriteFile("ops/spec.yml", "# edited\n" + Spec);
        Assert.Contains(DeploymentChecks.Prepare(DeploymentSession.Open(d)), p => p.Location?.File == Path.Combine(d, "spec.yml"));
    }

    [Fact]
    public void A_missing_spec_copy_is_named()
    {
        var d = SampleDeployment.Write(_workspace);
        File.Delete(Path.Combine(d, "spec.yml"));

        var error = Assert.Throws<SlipwayException>(() => DeploymentSession.Open(d));

        Assert.Equal(FailureReason.NotFound, error.Reason);
        Assert.Contains("spec.yml does not exist", error.Message, StringComparison.Ordinal);
    }
}
