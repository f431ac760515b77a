FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs settings to import; the real key comes from the environment at run time.
RUN DEBUG=0 SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput
RUN useradd --create-home touchstone && mkdir -p var && chown -R touchstone var
USER touchstone
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
