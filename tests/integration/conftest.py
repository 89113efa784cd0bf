from .moto_fixtures import aws, aws_clients, moto_url

__all__ = ["aws", "aws_clients", "moto_url"]
