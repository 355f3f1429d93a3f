using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Files;
using Slipway.TestKit;

namespace Slipway.Core.Tests.Deployments;

/// <summary>
/// A stack shaped like laconic-so's <c>test</c> stack, in laconic-so's repository layout
/// (<c>stacks/test/stack.yml</c> with <c>compose/</c>, <c>compose-jobs/</c> and <c>config/</c> two levels up),
/// plus a <c>dns</c> pod with a UDP port and a <c>setup</c> job.
/// </summary>
internal static class TestStack
{
    public const string TestCompose = """
        services:
          test:
            image: cerc/test-container:local
            restart: always
            environment:
              CERC_SCRIPT_DEBUG: ${CERC_SCRIPT_DEBUG}
              CERC_TEST_PARAM_1: ${CERC_TEST_PARAM_1:-FAILED}
              CERC_TEST_PARAM_2: "CERC_TEST_PARAM_2_VALUE"
            volumes:
              - test-data-bind:/data
              - test-data-auto:/data2
              - test-config:/config:ro
              - ../config/test/script.sh:/opt/run.sh
              - ../config/test/settings.env:/opt/settings.env
            ports:
              - "80"
        volumes:
          test-data-bind:
          test-data-auto:
          test-config:

        """;

    public const string DnsCompose = """
        services:
          dns:
            image: coredns/coredns:1.11.1
            ports:
              - "53/udp"
              - "8053:8053"

        """;

    public const string SetupJob = """
        services:
          setup:
            image: cerc/test-container:local
            command: ["sh", "-c", "echo setup"]
            volumes:
              - test-data-bind:/data
        volumes:
          test-data-bind:

        """;

    /// <summary>Writes the stack under <paramref name="workspace"/>/data and returns the stack directory.</summary>
    public static string Write(TempWorkspace workspace, bool withDns = true)
    {
        workspace.WriteFile("data/stacks/test/stack.yml", $"""
            version: "1.0"
            name: test
            description: A test stack
            containers:
              - cerc/test-container
            pods:
              - test
            {(withDns ? "  - dns\n" : "")}jobs:
              - setup

            """);
        workspace.WriteFile("data/compose/docker-compose-test.yml", TestCompose);
        workspace.WriteFile("data/compose/docker-compose-dns.yml", DnsCompose);
        workspace.WriteFile("data/compose-jobs/docker-compose-setup.yml", SetupJob);
        var script = workspace.WriteFile("data/config/test/script.sh", "#!/usr/bin/env bash\necho \"$CERC_TEST_PARAM_1\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, File.GetUnixFileMode(script) | UnixFileMode.UserExecute);
        }

        workspace.WriteFile("data/config/test/settings.env", "ANSWER=42\n");
        workspace.WriteFile("data/config/test-config/test_config", "dbfc7a4d-44a7-416d-b5f3-29842cc47650\n");
        workspace.WriteFile("data/config/unused/ignored.txt", "not referenced\n");
        return workspace.Combine("data", "stacks", "test");
    }

    public static StackBundle Load(TempWorkspace workspace, bool withDns = true, Func<string, string?>? lookup = null)
    {
        var diagnostics = new DiagnosticBag();
        var stack = Stack.Load(Write(workspace, withDns), new DiskHostFiles(), diagnostics);
        return StackBundle.Load(stack, workspace.Combine("repos"), lookup ?? (_ => null), diagnostics);
    }
}
