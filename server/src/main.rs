//! `wijkverhalen` — the server binary.
//!
//! ```text
//! wijkverhalen [--demo]                 serve (SQLite under ./data by default)
//! wijkverhalen booklet-worker DIR       typeset one booklet directory (used by the server)
//! ```
//! Configuration comes from the environment; see `server/src/config.rs`.

use server::config::Config;
use tracing_subscriber::EnvFilter;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("booklet-worker") {
        let Some(out) = args.get(1) else {
            eprintln!("usage: wijkverhalen booklet-worker DIR (with DIR/data.json)");
            std::process::exit(2);
        };
        if let Err(e) = server::worker::worker_main(std::path::Path::new(out)) {
            eprintln!("{e}");
            std::process::exit(1);
        }
        return;
    }
    let demo = args.iter().any(|a| a == "--demo");
    if let Some(unknown) = args.iter().find(|a| *a != "--demo") {
        eprintln!(
            "unknown argument {unknown:?}; usage: wijkverhalen [--demo] | booklet-worker DIR"
        );
        std::process::exit(2);
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(serve(demo)) {
        eprintln!("wijkverhalen: {e}");
        std::process::exit(1);
    }
}

async fn serve(demo: bool) -> Result<(), String> {
    let config = Config::from_env(demo)?;
    let built = server::startup::build(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    println!("Wijkverhalen draait op {}", config.public_url);
    if let Some(password) = &built.demo_password {
        println!("Demo-accounts (wachtwoord voor allemaal: {password}):");
        for a in server::seed::ACCOUNTS {
            println!("  {:<34} {}", a.email, a.label);
        }
    }
    axum::serve(listener, built.router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
