using Slipway.Core.Compose;
using Slipway.Core.Diagnostics;
using Slipway.Core.Verification;

namespace Slipway.Core.Tests.Verification;

public sealed class PrepareChecksTests
{
    private static readonly SourceLocation Compose = new("docker-compose-app.yml", 7, 12);

    private static ConfigEntry Entry(string key, string value, int line = 1) => new(key, value, new SourceLocation("host.env", line, 1));

    [Theory]
    [InlineData("CHANGEME", "CHANGEME")]
    [InlineData("changeme", "CHANGEME")]
    [InlineData("change_me", "CHANGEME")]
    [InlineData("postgres://app:change-me@db/app", "CHANGEME")]
    [InlineData("<your-token>", "<...>")]
    [InlineData("<password>", "<...>")]
    [InlineData("  <set me>  ", "<...>")]
    [InlineData("postgres://app:<db-password>@db/app", "<...>")]
    [InlineData("TODO", "TODO")]
    [InlineData("todo", "TODO")]
    [InlineData("TODO: ask ops", "TODO")]
    [InlineData("FIXME", "TODO")]
    public void Placeholders_are_recognised_by_kind(string value, string kind)
    {
        Assert.Equal(kind, PrepareChecks.PlaceholderKind(value));
    }

    [Theory]
    [InlineData("s3cr3t-Value")]
    [InlineData("")]
    [InlineData("exchangemessage")]
    [InlineData("todo-app")]
    [InlineData("TODOIST_KEY")]
    [InlineData("<b>bold</b> greeting")]
    [InlineData("a < b > c")]
    [InlineData("$generate:hex:32$")]
    public void Real_looking_values_are_not_placeholders(string value)
    {
        Assert.Null(PrepareChecks.PlaceholderKind(value));
    }

    [Fact]
    public void A_placeholder_is_reported_where_it_was_set_and_without_its_value()
    {
        var problems = PrepareChecks.Check([Entry("GREETING", "hello"), Entry("DB_PASSWORD", "<db-password-here>", 3)], []);

        var problem = Assert.Single(problems);
        Assert.True(problem.IsError);
        Assert.Equal(DiagnosticCodes.InvalidValue, problem.Code);
        Assert.Equal("config 'DB_PASSWORD' still holds a placeholder (<...>)", problem.Message);
        Assert.Equal(new SourceLocation("host.env", 3, 1), problem.Location);
        Assert.DoesNotContain("db-password-here", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_keys_are_each_listed_at_the_compose_line_that_needs_them()
    {
        var required = new[]
        {
            new RequiredVariable("TOKEN", Compose),
            new RequiredVariable("API_KEY", new SourceLocation("docker-compose-app.yml", 9, 5)),
            new RequiredVariable("GREETING", Compose),
        };

        var problems = PrepareChecks.Check([Entry("GREETING", "hi")], required);

        Assert.Equal(
            [
                "docker-compose-app.yml:9:5: error SW004: config 'API_KEY' is required by the stack but not set (" + PrepareChecks.MissingHint + ")",
                "docker-compose-app.yml:7:12: error SW004: config 'TOKEN' is required by the stack but not set (" + PrepareChecks.MissingHint + ")",
            ],
            problems.Select(p => p.ToString()));
    }

    [Fact]
    public void An_empty_value_for_a_required_key_is_refused_unless_the_stack_accepts_empty()
    {
        var required = new[] { new RequiredVariable("SECRET", Compose), new RequiredVariable("OPTIONAL_BLANK", Compose, EmptyAllowed: true) };

        var problems = PrepareChecks.Check([Entry("SECRET", "", 4), Entry("OPTIONAL_BLANK", "", 5)], required);

        var problem = Assert.Single(problems);
        Assert.Equal("config 'SECRET' is empty, but the stack requires a value (used at docker-compose-app.yml:7:12)", problem.Message);
        Assert.Equal(new SourceLocation("host.env", 4, 1), problem.Location);
    }

    [Fact]
    public void The_last_entry_of_a_key_wins_as_in_config_env()
    {
        // The spec says CHANGEME, the host's env file overrides it with the real value.
        var config = new[] { new ConfigEntry("TOKEN", "CHANGEME", new SourceLocation("spec.yml", 4, 3)), Entry("TOKEN", "real-token-value") };

        Assert.Empty(PrepareChecks.Check(config, [new RequiredVariable("TOKEN", Compose)]));
    }

    [Fact]
    public void Verify_checks_must_name_services_of_the_stack()
    {
        var check = VerifyCheck.Http("wbe", "/") with { Location = new SourceLocation("spec.yml", 5, 5) };

        var problem = Assert.Single(PrepareChecks.CheckVerifyServices([check, VerifyCheck.Tcp("db", 5432)], ["web", "db"]));

        Assert.Equal("spec.yml:5:5: error SW010: verify check names service 'wbe', which the stack does not define (did you mean 'web'?)", problem.ToString());
    }

    [Theory]
    [InlineData("${TOKEN}", "TOKEN", false)]
    [InlineData("$TOKEN", "TOKEN", false)]
    [InlineData("Bearer ${TOKEN:?set the API token}", "TOKEN", false)]
    [InlineData("${TOKEN?}", "TOKEN", true)]
    [InlineData("${URL:-http://${HOST}:80}", "HOST", false)]
    public void Required_variables_are_those_without_a_default(string text, string name, bool emptyAllowed)
    {
        var variable = Assert.Single(RequiredVariables.InText(text, Compose));

        Assert.Equal(new RequiredVariable(name, Compose, emptyAllowed), variable);
    }

    [Theory]
    [InlineData("${GREETING:-hello}")]
    [InlineData("${GREETING-hello}")]
    [InlineData("${FLAG:+--verbose}")]
    [InlineData("$$NOT_A_VARIABLE")]
    [InlineData("plain")]
    public void Variables_with_a_default_are_not_required(string text)
    {
        Assert.Empty(RequiredVariables.InText(text, Compose));
    }

    [Fact]
    public void Required_variables_are_found_in_a_compose_file_with_their_position()
    {
        const string Yaml = """
            services:
              app:
                image: app:${APP_TAG:-1}
                environment:
                  TOKEN: ${TOKEN:?the API token}
                  GREETING: ${GREETING:-hi}
                  DB_URL: postgres://app:${DB_PASSWORD}@db/app
                command: ["serve", "--token", "${TOKEN}"]
            """;
        var diagnostics = new DiagnosticBag();
        var file = ComposeParser.Parse(Yaml, "docker-compose-app.yml", diagnostics, _ => null);

        var required = RequiredVariables.Find(file);

        Assert.Equal(
            [
                new RequiredVariable("TOKEN", new SourceLocation("docker-compose-app.yml", 5, 14)),
                new RequiredVariable("DB_PASSWORD", new SourceLocation("docker-compose-app.yml", 7, 15)),
            ],
            required);
    }
}
