"""The neighbourhood: wijk, buurt, households, people, organisations and their roles."""
