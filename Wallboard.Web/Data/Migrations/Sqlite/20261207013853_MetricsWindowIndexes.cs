using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Wallboard.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MetricsWindowIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_CallbackTransitions_Action_At",
                table: "CallbackTransitions",
                columns: new[] { "Action", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_CallbackAttempts_At",
                table: "CallbackAttempts",
                column: "At");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CallbackTransitions_Action_At",
                table: "CallbackTransitions");

            migrationBuilder.DropIndex(
                name: "IX_CallbackAttempts_At",
                table: "CallbackAttempts");
        }
    }
}
