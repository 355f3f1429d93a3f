using System.Text;
using System.Text.Json;

namespace Slipway.Core.Fleet;

/// <summary>
/// The shell commands the orchestrator sends over SSH (ssh runs them with the host's login shell). Every value from the
/// inventory is single-quoted except <see cref="FleetHost.Slipway"/>, which is the operator's command line on purpose.
/// Output protocol of the prepare script: lines <c>@check DEPLOYMENT|- NAME ok|fail|warn DETAIL</c>, then the host's
/// <c>fleet check-host</c> JSON (version, checks, plans) between <c>@json</c> and <c>@end EXIT</c>.
/// </summary>
public static class RemoteScripts
{
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    /// <summary><c>env K=V ...</c> for the host's variables (empty when it has none).</summary>
    public static string Env(FleetHost host) =>
        host.Vars.Count == 0 ? "" : "env " + string.Join(' ', host.Vars.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => Quote(v.Key + "=" + v.Value))) + " ";

    public static string Slipway(FleetHost host, string arguments) => Env(host) + host.Slipway + " " + arguments;

    /// <summary>
    /// Checks a host can take the deployments (tools, repository at a fast-forward of the commit, env files, each spec valid
    /// at the commit with the host's variables) and, when <paramref name="plans"/>, gathers their plans; changes nothing but
    /// a git fetch. One SSH session, and one start of the host's Slipway (<c>fleet check-host</c>: its version, the specs,
    /// the deployment directories and their plans, as JSON between <c>@json</c> and <c>@end EXIT</c>, its stderr's last
    /// lines as <c>@stderr</c> lines); the rest is shell.
    /// </summary>
    public static string Prepare(FleetTarget target, string commit, bool plans = true)
    {
        var host = target.Host;
        var s = new StringBuilder();
        s.AppendLine("check() { printf '@check %s %s %s %s\\n' \"$1\" \"$2\" \"$3\" \"$(printf '%s' \"$4\" | tr '\\n' ' ' | cut -c1-300)\"; }");
        s.AppendLine("if v=$(docker version --format '{{.Server.Version}}' 2>&1); then check - docker ok \"engine $v\"; else check - docker fail \"$v\"; fi");
        s.AppendLine("if v=$(docker compose version --short 2>&1); then check - compose ok \"compose $v\"; else check - compose fail \"docker compose: $v\"; fi");
        s.AppendLine($"repo={Quote(host.Repo)}; commit={Quote(commit)}");
        s.AppendLine("repo_ok=0");
        s.AppendLine("if ! git -C \"$repo\" rev-parse --git-dir >/dev/null 2>&1; then check - repo fail \"no clone of the operator repository at $repo (fleet onboard shows how)\";");
        s.AppendLine("else");
        s.AppendLine("  head=$(git -C \"$repo\" rev-parse HEAD 2>/dev/null)");
        s.AppendLine("  git -C \"$repo\" cat-file -e \"$commit^{commit}\" 2>/dev/null || out=$(git -C \"$repo\" fetch --quiet 2>&1) || check - fetch warn \"git fetch: $out\"");
        s.AppendLine("  if ! git -C \"$repo\" cat-file -e \"$commit^{commit}\" 2>/dev/null; then check - repo fail \"commit ${commit%${commit#????????????}} is not in $repo after a fetch: push it first\";");
        s.AppendLine("  elif [ -n \"$(git -C \"$repo\" status --porcelain --untracked-files=no 2>&1)\" ]; then check - repo fail \"$repo has uncommitted changes to tracked files\";");
        s.AppendLine("  elif ! git -C \"$repo\" merge-base --is-ancestor \"$head\" \"$commit\"; then check - repo fail \"$repo is at ${head%${head#????????????}}, which is not an ancestor of the wanted commit: it diverged\";");
        s.AppendLine("  else repo_ok=1; n=$(git -C \"$repo\" diff --name-only \"$head\" \"$commit\" | wc -l); check - repo ok \"${head%${head#????????????}} -> ${commit%${commit#????????????}} ($n files change)\"; fi");
        s.AppendLine("fi");
        foreach (var file in host.EnvFiles)
        {
            s.AppendLine($"if [ -r {Quote(file)} ]; then check - env-file ok {Quote(file)}; else check - env-file fail {Quote(file + " is missing (host-local, never copied: create it on the host)")}; fi");
        }

        foreach (var d in target.Deployments)
        {
            foreach (var file in d.EnvFiles)
            {
                s.AppendLine($"if [ -r {Quote(file)} ]; then check {Quote(d.Name)} env-file ok {Quote(file)}; else check {Quote(d.Name)} env-file fail {Quote(file + " is missing (host-local, never copied: create it on the host)")}; fi");
            }
        }

        // The specs are validated as the commit has them, not as the clone is now: a throw-away export of the commit, which
        // check-host renders in memory with the host's variables and env files.
        s.AppendLine("x=''; if [ $repo_ok = 1 ]; then x=$(mktemp -d) && git -C \"$repo\" archive \"$commit\" | tar -x -C \"$x\" || { check - export fail \"git archive of the commit failed\"; x=''; }; fi");
        var arguments = "fleet check-host --root \"$x\"" + (plans ? " --plan" : "") + " --deployments " + Quote(DeploymentsJson(target.Deployments));
        s.AppendLine($"t=$(mktemp); echo '@json'; {Slipway(host, arguments)} 2>\"$t\"; rc=$?; echo; echo \"@end $rc\"; tail -n 4 \"$t\" | sed 's/^/@stderr /'; rm -f \"$t\"");
        s.AppendLine("[ -z \"$x\" ] || rm -rf \"$x\"");

        return s.ToString();
    }

    /// <summary>What check-host is asked about: <c>[{"name", "spec", "dir"}, ...]</c>.</summary>
    public static string DeploymentsJson(IEnumerable<FleetDeployment> deployments)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            foreach (var d in deployments)
            {
                w.WriteStartObject();
                w.WriteString("name", d.Name);
                w.WriteString("spec", d.Spec);
                w.WriteString("dir", d.Dir);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// One host's run of a deployment at exactly the commit chosen at prepare: <c>restart --source-commit</c> moves the
    /// repository there (fast-forward only) instead of pulling its upstream, so a push during the rollout cannot change what
    /// later hosts get; a D that does not exist yet gets the repository moved to the commit, <c>deploy create</c> and
    /// <c>start</c>. Prints the run's JSON on stdout.
    /// </summary>
    public static string Deploy(FleetHost host, FleetDeployment d, string commit)
    {
        var dir = Quote(d.Dir);
        return $"if [ -e {Quote(d.Dir + "/deployment.yml")} ]; then {Slipway(host, $"deployment --dir {dir} restart --source-commit {Quote(commit)} --output json")}\n"
            + $"else git -C {Quote(host.Repo)} merge --ff-only --quiet {Quote(commit)} >&2 || exit 4\n"
            + $"  {Slipway(host, $"deploy create --spec-file {Quote(host.Repo + "/" + d.Spec)} --deployment-dir {dir}")} >&2 || exit $?; {Slipway(host, $"deployment --dir {dir} start --output json")}; fi";
    }

    /// <summary>A single-host verb on a deployment: <c>resume</c>, <c>rollback</c>, <c>diagnose</c>, <c>status</c> ...</summary>
    public static string Verb(FleetHost host, FleetDeployment d, string verb) =>
        Slipway(host, $"deployment --dir {Quote(d.Dir)} {verb}");

    /// <summary>What a new node has and lacks: lines <c>@check NAME ok|fail DETAIL</c>.</summary>
    public static string Onboard(FleetHost host, IReadOnlyList<FleetDeployment> deployments)
    {
        var s = new StringBuilder();
        s.AppendLine("check() { printf '@check - %s %s %s\\n' \"$1\" \"$2\" \"$(printf '%s' \"$3\" | tr '\\n' ' ' | cut -c1-300)\"; }");
        s.AppendLine("if v=$(docker version --format '{{.Server.Version}}' 2>&1); then check docker ok \"engine $v\"; else check docker fail \"$v\"; fi");
        s.AppendLine("if v=$(docker compose version --short 2>&1); then check compose ok \"compose $v\"; else check compose fail \"$v\"; fi");
        s.AppendLine("if v=$(git --version 2>&1); then check git ok \"$v\"; else check git fail \"$v\"; fi");
        s.AppendLine($"if v=$({Slipway(host, "version")} 2>&1); then check slipway ok \"$v\"; else check slipway fail \"$v\"; fi");
        s.AppendLine($"if git -C {Quote(host.Repo)} rev-parse --git-dir >/dev/null 2>&1; then check repo ok \"$(git -C {Quote(host.Repo)} remote get-url origin 2>/dev/null)\"; else check repo fail {Quote("no clone at " + host.Repo)}; fi");
        foreach (var parent in deployments.Select(d => ParentOf(d.Dir)).Distinct(StringComparer.Ordinal))
        {
            s.AppendLine($"if [ -d {Quote(parent)} ]; then check dir ok {Quote(parent)}; else check dir fail {Quote(parent + " does not exist")}; fi");
        }

        return s.ToString();
    }

    public static string ParentOf(string path)
    {
        var slash = path.TrimEnd('/').LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }
}
