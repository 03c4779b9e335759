namespace Zakaz.Storage.Migrations.Validation;

/// <summary>One broken rule, printed as <c>file:line: rule: message</c> like a compiler error, so editors can jump to it.</summary>
public sealed record SchemaProblem(string File, int Line, string Rule, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Rule}: {Message}";
}

/// <param name="Problems">Every problem, by file (in the order the files apply) and line.</param>
/// <param name="Notes">What the validator could not check, said once (for example statements the semantic store cannot run).</param>
public sealed record SchemaValidation(int Files, int Statements, IReadOnlyList<SchemaProblem> Problems, IReadOnlyList<string> Notes)
{
    public bool Passed => Problems.Count == 0;
}
