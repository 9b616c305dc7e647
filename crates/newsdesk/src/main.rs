use std::process::ExitCode;

fn main() -> ExitCode {
    newsdesk::cli::main()
}
