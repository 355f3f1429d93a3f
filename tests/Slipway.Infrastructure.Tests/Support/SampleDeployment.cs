
namespace Slipway.Infrastructure.Tests.Support;

/// <summary>
/// A hand-written deployment directory for backend tests: pods listed out of alphabetical order (worker, web),
/// a job, a config.env with a secret-looking value, and overrides (plus a file overrides ignore).
/// </summary>
internal static class SampleDeployment
{
    public const string Id = "slipway-t3st01ab";
    public const string Password = "s3cret-password-value";

    public static string Write(TempWorkspace workspace, bool withConfigEnv = true, bool withOverrides = true)
    {
        var d = workspace.Combine("deployment");
        workspace.WriteFile("deployment/deployment.yml", $"cluster-id: {Id}\ndeployment-id: {Id}\nstack-source: \"/stacks/shop\"\n");
        workspace.WriteFile("deployment/spec.yml", "stack: ./stack\n");
        workspace.WriteFile("deployment/stack.yml", "name: shop\npods:\n  - worker\n  - web\njobs:\n  - migrate\n");
        if (withConfigEnv)
        {
            workspace.WriteFile("deployment/config.env", $"GREETING=hello\nDB_PASSWORD={Password}\n");
        }

        workspace.WriteFile("deployment/compose/docker-compose-web.yml", $$"""
            services:
              web:
                image: shop/web:local
            volumes:
              web-data:
                driver: local
                driver_opts:
                  type: none
                  device: "{{d}}/data/web-data"
                  o: bind
              cache:

            """);
        workspace.WriteFile("deployment/compose/docker-compose-worker.yml", "services:\n  worker:\n    image: shop/web:local\n");
        workspace.WriteFile("deployment/compose-jobs/docker-compose-migrate.yml", "services:\n  migrate:\n    image: shop/web:local\n");
        if (withOverrides)
        {
            workspace.WriteFile("deployment/overrides/b-local.yml", "services: {}\n");
            workspace.WriteFile("deployment/overrides/a-ports.yaml", "services: {}\n");
            workspace.WriteFile("deployment/overrides/README.txt", "not a compose file\n");
        }

        Directory.CreateDirectory(workspace.Combine("deployment", ".slipway", "logs"));
        return d;
    }
}
