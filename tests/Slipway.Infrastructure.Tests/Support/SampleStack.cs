using System.Runtime.Versioning;
using Slipway.Infrastructure.Operations;

namespace Slipway.Infrastructure.Tests.Support;

/// <summary>
/// A small self-contained stack ("shop": pods web and worker, job migrate, a config folder, a host-path volume)
/// and a spec for it, written into a <see cref="TempWorkspace"/>.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class SampleStack
{
    public const string StackYml = """
        version: "1.0"
        name: shop
        containers:
          - shop/web
        pods:
          - web
          - worker
        jobs:
          - migrate
        """;

    public const string WebCompose = """
        services:
          web:
            image: shop/web:local
            environment:
              GREETING: ${GREETING:-hi}
            ports:
              - "80"
            volumes:
              - ../config/web/site.conf:/etc/site.conf:ro
              - web-data:/data
        volumes:
          web-data:
        """;

    public const string WorkerCompose = """
        services:
          worker:
            image: shop/web:local
            command: ["worker"]
        """;

    public const string MigrateCompose = """
        services:
          migrate:
            image: shop/web:local
            command: ["migrate"]
        """;

    public const string Spec = """
        stack: ./stack
        deploy-to: compose
        config:
          GREETING: hello
          DB_PASSWORD: $generate:hex:16$
        network:
          ports:
            web:
              - "8080:80"
        volumes:
          web-data: ./data/web-data
        """;

    /// <summary>Writes the stack to <c>stack/</c> and the spec to <c>spec.yml</c>; returns the spec's path.</summary>
    public static string Write(TempWorkspace workspace, string spec = Spec)
    {
        workspace.WriteFile("stack/stack.yml", StackYml + "\n");
        workspace.WriteFile("stack/compose/docker-compose-web.yml", WebCompose + "\n");
        workspace.WriteFile("stack/compose/docker-compose-worker.yml", WorkerCompose + "\n");
        workspace.WriteFile("stack/compose-jobs/docker-compose-migrate.yml", MigrateCompose + "\n");
        workspace.WriteFile("stack/config/web/site.conf", "listen 80;\n");
        workspace.WriteFile("stack/container-build/shop-web/Dockerfile", "FROM scratch\n");
        return workspace.WriteFile("spec.yml", spec + "\n");
    }

    /// <summary>Adds an executable hook to the stack's hooks/ folder.</summary>
    public static string WriteHook(TempWorkspace workspace, string hook, string script = "#!/bin/sh\nexit 0\n")
    {
        var path = workspace.WriteFile($"stack/hooks/{hook}", script);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public static SlipwayEnvironment Environment(TempWorkspace workspace, FakeProcessRunner runner) => TestEnvironment.Create(workspace.Path, runner);
}
