using System.CommandLine;
using Zakaz.Cli.CommandLine;
using Zakaz.Storage.ChDb;
using Zakaz.Storage.Migrations;
using Zakaz.Storage.Migrations.Validation;

namespace Zakaz.Cli.Commands;

/// <summary>
/// <c>zakaz db validate</c>: the schema rules over the shipped migrations or a folder of .sql files.
/// Offline by design: the semantic pass runs on a throw-away embedded store, never on the
/// configured data directory or server, so validating cannot change anyone's data.
/// </summary>
internal static class ValidateCommand
{
    internal static readonly Option<string?> Dir = CliOptions.Text("--dir", "DIR", "Validate the *.sql files of DIR instead of the shipped migrations");

    public static async Task<int> RunAsync(CliContext context)
    {
        var directory = context.Get(Dir);
        var files = directory is null ? SqlFile.Embedded() : SqlFile.FromDirectory(directory);
        if (files.Count == 0)
        {
            throw new MigrationException($"There are no *.sql files in {directory}.");
        }

        var scratch = Directory.CreateTempSubdirectory("zakaz-validate-");
        SchemaValidation validation;
        try
        {
            await using var store = ChDbStore.Open(scratch.FullName, context.Options.Storage.ChDbLibrary);
            validation = await SchemaValidator.ValidateAsync(files, store);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }

        foreach (var problem in validation.Problems)
        {
            await context.Out.WriteLineAsync(problem.ToString());
        }
        foreach (var note in validation.Notes)
        {
            await context.Out.WriteLineAsync($"note: {note}");
        }
        var verdict = validation.Passed ? "no problems" : $"{validation.Problems.Count} problem(s)";
        await context.Out.WriteLineAsync($"db validate: {validation.Files} files, {validation.Statements} statements, {verdict}");
        return validation.Passed ? ZakazCli.Ok : ZakazCli.Failure;
    }
}
