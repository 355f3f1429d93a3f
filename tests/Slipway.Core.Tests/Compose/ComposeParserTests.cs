using Slipway.Core.Compose;
using Slipway.Core.Diagnostics;

namespace Slipway.Core.Tests.Compose;

/// <summary>The parser models every key later code acts on, so no renderer reads the YAML again.</summary>
public sealed class ComposeParserTests
{
    private static ComposeFile Parse(string text)
    {
        var diagnostics = new DiagnosticBag();
        var file = ComposeParser.Parse(text, "/stack/compose/docker-compose-app.yml", diagnostics, _ => null);
        Assert.Empty(diagnostics.Items);
        return file;
    }

    [Fact]
    public void A_service_is_modelled_with_everything_the_renderers_use()
    {
        var file = Parse("""
            services:
              app:
                image: shop/app:${TAG:-1}
                environment:
                  PLAIN: text
                  FROM_CONFIG: ${SECRET}
                  NAMED:
                entrypoint: /bin/sh -c 'echo "hi there"'
                command: ["run", "--port", "80"]
                working_dir: /srv
                user: "1000:1000"
                privileged: true
                cap_add: [NET_ADMIN, CAP_SYS_TIME]
                cap_drop: [ALL]
                network_mode: host
                expose: ["8080", "9000-9001/udp"]
                tmpfs: /run
                deploy:
                  resources:
                    limits: {cpus: "0.5", memory: 512M}
                env_file: [app.env]
            volumes:
              data:
            """);

        var app = Assert.Single(file.Services);
        Assert.Equal("shop/app:${TAG:-1}", app.Image);
        Assert.Equal([new EnvironmentEntry("PLAIN", "text"), new EnvironmentEntry("FROM_CONFIG", "${SECRET}"), new EnvironmentEntry("NAMED", null)], app.Environment);
        Assert.Equal(["/bin/sh", "-c", "echo \"hi there\""], app.Entrypoint);
        Assert.Equal(["run", "--port", "80"], app.Command);
        Assert.Equal(("/srv", "1000:1000", true, "host"), (app.WorkingDir, app.User, app.Privileged, app.NetworkMode));
        Assert.Equal(["NET_ADMIN", "CAP_SYS_TIME"], app.CapAdd);
        Assert.Equal(["ALL"], app.CapDrop);
        Assert.Equal(["8080", "9000-9001/udp"], app.Expose);
        Assert.Equal(["/run"], app.Tmpfs);
        Assert.Equal(new ComposeResources(new ComposeResourceAmounts(null, null), new ComposeResourceAmounts("0.5", "512M")), app.Resources);
        Assert.Equal(["app.env"], app.EnvFiles);
        Assert.Equal(["TAG", "SECRET"], app.Variables);
        Assert.Equal((23, 3), (file.VolumeLocations["data"].Line, file.VolumeLocations["data"].Column));
    }

    [Fact]
    public void A_short_volume_whose_source_has_a_variable_with_a_default_splits_at_the_colons_outside_the_variable()
    {
        var file = Parse("services:\n  app:\n    image: x\n    volumes:\n      - ../config/${NETWORK:-mainnet}/genesis.json:/genesis.json:ro\n      - ${DATA:-./data}:/data\n");

        var mounts = Assert.Single(file.Services).Mounts;
        Assert.Equal(
            [(MountKind.Bind, "../config/${NETWORK:-mainnet}/genesis.json", "/genesis.json", true), (MountKind.Bind, "${DATA:-./data}", "/data", false)],
            mounts.Select(m => (m.Kind, m.Source, m.Target, m.ReadOnly)));
    }

    [Fact]
    public void Named_volumes_backed_by_a_host_folder_name_that_folder()
    {
        var file = Parse("services:\n  app:\n    image: x\nvolumes:\n  plain:\n  bound:\n    driver: local\n    driver_opts:\n      type: none\n      o: bind\n      device: /srv/data/bound\n");

        Assert.Equal(["plain", "bound"], file.Volumes);
        Assert.Equal(new Dictionary<string, string> { ["bound"] = "/srv/data/bound" }, file.VolumeDevices);
    }

    [Fact]
    public void The_list_form_of_environment_gives_the_same_entries()
    {
        var app = Parse("services:\n  app:\n    image: x\n    environment:\n      - PLAIN=text=more\n      - NAMED\n").Services[0];

        Assert.Equal([new EnvironmentEntry("PLAIN", "text=more"), new EnvironmentEntry("NAMED", null)], app.Environment);
    }

    [Fact]
    public void Ports_keep_their_text_as_written_beside_the_interpolated_spec()
    {
        var app = Parse("services:\n  app:\n    image: x\n    ports:\n      - \"${PORT:-8080}:80\"\n      - target: 53\n        protocol: udp\n").Services[0];

        Assert.Equal(["${PORT:-8080}:80", "53/udp"], app.PortTexts);
        Assert.Equal(["8080:80", "53/udp"], app.Ports.Select(p => p.ToShortString()));
    }

    [Fact]
    public void Keys_a_service_does_not_set_are_absent_from_its_model()
    {
        var app = Parse("services:\n  app:\n    image: x\n").Services[0];

        Assert.Equal((null, null, null, null, null, false), (app.Entrypoint, app.Command, app.WorkingDir, app.User, app.NetworkMode, app.Privileged));
        Assert.Null(app.Tmpfs);
        Assert.Null(app.Resources);
        Assert.Empty(app.Environment);
        Assert.Empty(app.CapAdd);
        Assert.Empty(app.Expose);
    }

    [Fact]
    public void Consumed_keys_are_the_interpolated_variables_and_the_environment_names_without_a_value_that_config_sets()
    {
        var app = Parse("services:\n  app:\n    image: x:${TAG}\n    environment:\n      - NAMED\n      - LITERAL=v\n      - UNSET\n").Services[0];

        Assert.Equal(["NAMED", "TAG"], app.ConsumedKeys(new Dictionary<string, string> { ["TAG"] = "1", ["NAMED"] = "n", ["LITERAL"] = "l", ["OTHER"] = "o" }));
    }

    [Theory]
    [InlineData("\"${WEB_PORT}:80\"")]
    [InlineData("\"127.0.0.1:${WEB_PORT}:80\"")]
    [InlineData("\"${WEB_PORT}\"")]
    [InlineData("\"8080:80/${WEB_PORT}\"")]
    [InlineData("\"${WEB_PORT}:8080:80\"")]
    [InlineData("{ target: 80, published: \"${WEB_PORT}\" }")]
    [InlineData("{ target: \"${WEB_PORT}\" }")]
    [InlineData("{ target: 80, host_ip: \"${WEB_PORT}\" }")]
    [InlineData("{ target: 80, protocol: \"${WEB_PORT}\" }")]
    [InlineData("{ target: 80, mode: \"${WEB_PORT}\" }")]
    public void An_invalid_port_after_interpolation_names_the_variable_but_never_quotes_its_value(string port)
    {
        const string Secret = "s3cr3t-Valu3";
        var diagnostics = new DiagnosticBag();

        ComposeParser.Parse($"services:\n  app:\n    image: x\n    ports:\n      - {port}\n", "/stack/compose/docker-compose-app.yml", diagnostics,
            name => name == "WEB_PORT" ? Secret : null);

        var error = Assert.Single(diagnostics.Items);
        Assert.Equal(DiagnosticCodes.InvalidPort, error.Code);
        Assert.Contains("WEB_PORT", error.Message + error.Hint);
        Assert.DoesNotContain("s3cr3t", error.Message + error.Hint, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(5, error.Location!.Line);
    }

    [Fact]
    public void An_invalid_literal_port_is_still_quoted_with_its_reason()
    {
        var diagnostics = new DiagnosticBag();

        ComposeParser.Parse("services:\n  app:\n    image: x\n    ports:\n      - \"99999:80\"\n", "/stack/compose/docker-compose-app.yml", diagnostics, _ => null);

        Assert.Contains("invalid port '99999:80'", Assert.Single(diagnostics.Items).Message);
    }
}
